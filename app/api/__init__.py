"""What every REST API shares (R7): the error answers (``app.api.errors``) and the rate
limit (``app.api.limits``, R23)."""
