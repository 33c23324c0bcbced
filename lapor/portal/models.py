from django.db import models


class SubmitToken(models.Model):
    """One per submit form shown: a second POST of the same form (a double click, a resend
    after a slow answer) finds the report the first one made instead of making another.

    ``sealed_secret`` holds the guest secret, sealed with a key derived from the token, only
    until the confirmation page has shown it once."""

    token = models.CharField(max_length=64, unique=True)
    report = models.ForeignKey(
        "reports.Report", null=True, on_delete=models.CASCADE, related_name="+"
    )
    sealed_secret = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token
