"""An upload handler that stops reading a file as soon as it passes the evidence size limit, so an oversized upload
is refused without filling the disk (Django would otherwise spool all of it to a temporary file first)."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes every chunk on, and skips the rest of a file that is too large,
    noting its name in `request.oversized_uploads` for the view to refuse the upload with."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024:
            if self.request is not None:
                self.request.oversized_uploads = [*getattr(self.request, "oversized_uploads", []), self.file_name]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file
