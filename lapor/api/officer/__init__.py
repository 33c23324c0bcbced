"""The officer API (``/api/v1/officer/``): what an officer tool does, through the back office's
own checks (sign-in, scope, action handlers) and the report services."""
