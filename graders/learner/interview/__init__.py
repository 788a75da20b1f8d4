"""Mock interviews: draw a session notebook (:mod:`.draw`), then grade and report it (:mod:`.report`)."""
