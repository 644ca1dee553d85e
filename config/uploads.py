"""A cap on request bodies that holds before anything is stored.

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only for the form fields of a multipart request;
its file handlers would write a 1 GB upload to a temporary file before the import form could
say the file is too large. This handler, first in FILE_UPLOAD_HANDLERS, refuses a request
whose declared length is over MAX_REQUEST_BYTES before its body is read, and stops reading
any upload that grows past it. Either way Django answers with the "too large" page
(config.views.bad_request). The reverse proxy in front refuses such bodies even earlier
(docs/deployment.md).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class RequestTooLarge(RequestDataTooBig):
    """A request body over the site's cap; shown as a 413 page."""


class SizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.MAX_REQUEST_BYTES:
            raise RequestTooLarge(
                f"Request body of {content_length} bytes is over {settings.MAX_REQUEST_BYTES}."
            )
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_REQUEST_BYTES:
            raise RequestTooLarge(f"Upload grew past {settings.MAX_REQUEST_BYTES} bytes.")
        return raw_data

    def file_complete(self, file_size):
        return None
