"""The build server: ``sitegen build`` handed to a long-lived process that keeps the last
build in memory and a kernel change journal of the content folder (``sitegen server``)."""
