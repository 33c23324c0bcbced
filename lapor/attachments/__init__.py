"""Serving attachments: every file a report holds goes out through ``views``, after
``reports.privacy`` has said the person asking may see it; there is no other way to a file."""
