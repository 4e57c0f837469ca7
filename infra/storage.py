"""The object store for uploads and generated files when STORAGE_URL names one
(config/storage.py): a private bucket whose objects leave only through Triad's views, which
check access and write the audit before they read a file (infra.uploads.serve_file)."""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """django-storages' S3 backend, held to what the file system did: a new file never
    replaces another of the same name, objects get no ACL of their own (the bucket's, which
    should be private), and no link to an object is ever handed out."""

    file_overwrite = False
    default_acl = None
    # A file read for a response is held in memory up to this size, then in a temporary file.
    max_memory_size = 5 * 1024 * 1024

    def url(self, name, parameters=None, expire=None, http_method=None):
        # A presigned link would open the file to anyone holding it, past every access check
        # and the audit. Like the file system's, this address is not served (MEDIA_URL).
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
