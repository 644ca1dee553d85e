"""The courtesy check against a labelled set of hand-written messages (tests/messaging/labelled.py)."""

from tests.messaging.labelled import FINDINGS, SET, evaluate, ratio


def test_the_labelled_set_is_large_and_covers_every_finding():
    assert len(SET) >= 150
    for name in FINDINGS:
        assert any(name in entry.warns for entry in SET), f"no flawed message for {name}"
    assert sum(1 for entry in SET if not entry.warns) >= 50, "good messages too"


def test_precision_and_recall_reach_0_95_overall_and_0_9_per_finding():
    counts, wrong = evaluate()
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    assert ratio(tp, tp + fp) >= 0.95 and ratio(tp, tp + fn) >= 0.95, wrong[:5]
    for name, (tp, fp, fn) in counts.items():
        assert ratio(tp, tp + fp) >= 0.9, (name, [w for w in wrong if name in w[1]][:3])
        assert ratio(tp, tp + fn) >= 0.9, (name, wrong[:3])
