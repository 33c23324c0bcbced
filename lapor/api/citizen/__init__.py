"""The citizen API (``/api/v1/citizen/``): what a reporter's mobile app does, through the same
services and privacy rules as the portal."""
