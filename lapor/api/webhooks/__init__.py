"""Outbound webhooks: signed messages (Standard Webhooks) telling partner systems what happened
to the reports their agencies hold. See docs/api.md, "Webhook"."""
