"""Reading pages as a person would: a page that did not answer 200 is never read as empty."""


def page_text(client, url: str, data=None, **extra) -> str:
    """The page's text, after checking it answered 200 (not a redirect to the login, not a 404),
    so that a check that something is *not* on it can fail."""
    response = client.get(url, data, **extra)
    assert response.status_code == 200, f"{url} answered {response.status_code}, not 200"
    return response.content.decode()
