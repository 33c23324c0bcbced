"""Every change to the whistleblowing system: one keyword-only function per action, each atomic,
writing its audit event in the same transaction; notifications are outbox rows of that
transaction, delivered after commit. Arguments and results are plaintext only in memory.

- ``keys``: recipients' key pairs (create, unlock, change passphrase, recover);
- ``submit``: filing a case, opening it with the receipt;
- ``handling``: access, reading, messages, stages, sharing with a colleague.
"""

from lapor.wbs.services._common import (
    INSPECTOR,
    WHISTLEBLOWER,
    escrow_key,
    index_key,
    kdf_cost,
    notify_recipients,
)
from lapor.wbs.services.handling import (
    NEXT,
    case_private_key,
    case_read,
    case_share,
    message_send,
    recipient_case,
    record_file_read,
    share_candidates,
    stage_change,
    whistleblower_opened,
)
from lapor.wbs.services.keys import (
    MIN_PASSPHRASE,
    person_key_change,
    person_key_create,
    person_key_recover,
    person_unlock,
)
from lapor.wbs.services.submit import (
    EncryptedUpload,
    Submitted,
    case_open_by_receipt,
    case_submit,
    encrypt_upload,
)

__all__ = [
    "INSPECTOR",
    "MIN_PASSPHRASE",
    "NEXT",
    "WHISTLEBLOWER",
    "EncryptedUpload",
    "Submitted",
    "case_open_by_receipt",
    "case_private_key",
    "case_read",
    "case_share",
    "case_submit",
    "encrypt_upload",
    "escrow_key",
    "index_key",
    "kdf_cost",
    "message_send",
    "notify_recipients",
    "person_key_change",
    "person_key_create",
    "person_key_recover",
    "person_unlock",
    "recipient_case",
    "record_file_read",
    "share_candidates",
    "stage_change",
    "whistleblower_opened",
]
