"""Administrative units (GSO codes) with validity periods, for citizens' addresses."""
