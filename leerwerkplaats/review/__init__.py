"""Four eyes before the room: review the pseudonymisation of case files in the browser.

``leerwerkplaats review INPUT_DIR`` serves a local web app (:mod:`.app`, guarded
by :mod:`.security`) over a :class:`~.service.ReviewSession`; the reviewer's
decisions live in a SQLite store beside the inputs (:mod:`.store`) and are
applied to the model's spans by :mod:`.decisions`. Every call into the rest of
the package goes through :mod:`.adapter`.
"""
