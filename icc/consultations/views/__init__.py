"""The city team's pages (:mod:`.team`) and the public ones (:mod:`.public`)."""
