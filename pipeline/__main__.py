from .commands.console import run

run()
