"""Filling in a page's form as a browser would: every field as the page draws it."""


def form_data(client, url: str, **changes) -> dict:
    """The data a browser would post from the form at `url` if the user typed `changes`."""
    response = client.get(url)
    assert response.status_code == 200, url
    form = response.context["form"]
    page = response.content.decode()
    for hidden in form.hidden_fields():
        assert f'name="{hidden.name}"' in page, f"{url} does not draw its {hidden.name} field"
    data = {}
    for bound in form:
        value = bound.field.widget.format_value(bound.value())
        if value is None:
            value = ""
        if isinstance(value, list) and not bound.field.widget.allow_multiple_selected:
            value = value[0] if value else ""
        data[bound.name] = value
    return {**data, **changes}
