"""The build room: an article read and checked (``prepare``), rendered by the
writers and written all or nothing (``builder``, ``jobs``), skipped when
nothing changed (``cache``), on worker processes that end with the command
(``workers``), again on every change (``watch``), with progress shown
(``progress``)."""
