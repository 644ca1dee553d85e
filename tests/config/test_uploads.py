"""Request bodies over the cap are refused before they are read, with a page that says so."""

import io

from django.conf import settings

from dataio.models import ImportBatch

BOUNDARY = "bridges-test-boundary"


class EndlessUpload(io.RawIOBase):
    """A multipart body that never ends (as a client streaming 1 GB would look), counting what
    the server reads of it."""

    def __init__(self):
        self.read_bytes = 0
        self.head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="huge.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
            "company,job_title\r\n"
        ).encode()

    def readable(self):
        return True

    def readinto(self, buffer):
        size = len(buffer)
        chunk = (self.head + b"Acme,Engineer\r\n" * (size // 15 + 1))[:size]
        self.head = b""
        buffer[:size] = chunk
        self.read_bytes += size
        return size


def post_endless(client, url="/import/", declared=1024**3):
    body = EndlessUpload()
    response = client.generic(
        "POST",
        url,
        b"",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(declared),
        **{"wsgi.input": body},
    )
    return response, body


def test_a_1_gb_upload_is_refused_before_its_body_is_read(client, alice):
    client.force_login(alice)
    response, body = post_endless(client)
    assert response.status_code == 413
    page = response.content.decode()
    assert "too large" in page and "5 MB" in page
    assert body.read_bytes < 1024 * 1024, f"read {body.read_bytes} bytes of a refused upload"
    assert not ImportBatch.objects.exists()


def test_a_file_a_little_over_5_mb_gets_the_forms_own_explanation(client, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(alice)
    data = b"company,job_title\n" + b"Acme,Engineer\n" * (6 * 1024 * 1024 // 14)
    response = client.post("/import/", {"file": SimpleUploadedFile("big.csv", data)})
    assert response.status_code == 200
    assert "the limit is 5 MB" in response.content.decode()


def test_an_oversized_form_post_gets_the_too_large_page(client, alice):
    client.force_login(alice)
    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/applications/new/from-posting/", {"html": text})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
