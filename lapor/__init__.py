"""lapor: SP4N-LAPOR!, Indonesia's national public-service complaint platform."""
