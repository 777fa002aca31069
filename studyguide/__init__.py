"""studyguide: community-rapport study app for Massachusetts security officers."""

__version__ = "0.1.0"
