"""leerwerkplaats: pseudonymise, tag and teach from closed Dutch youth-care case files."""

__version__ = "0.1.0"
