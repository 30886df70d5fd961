"""The web interface (`intake web`): FastAPI pages over the same store and settings as the daemon.

Importing this package is cheap (the CLI imports :mod:`intake.web.accounts` without FastAPI);
:func:`intake.web.app.create_app` builds the application.
"""
