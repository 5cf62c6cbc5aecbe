"""The commands: ``pipeline build | import | check | config | serve`` (``cli``,
reached through the ``console`` script), the plain-text importer
(``importer``), the shipping gate (``check``) and the house settings read from
files and the command line (``settings``)."""
