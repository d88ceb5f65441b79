"""What every REST API shares (R7): the error answers (``app.api.errors``)."""
