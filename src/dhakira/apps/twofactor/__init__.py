"""Second factors for web accounts: TOTP codes and recovery codes through django-otp."""
