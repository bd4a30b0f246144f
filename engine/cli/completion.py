"""``loushi completion bash|zsh|fish``: print the shell completion script.

Load it once per shell session, or save it where the shell looks for completions::

    eval "$(loushi completion bash)"                       # ~/.bashrc
    eval "$(loushi completion zsh)"                        # ~/.zshrc
    loushi completion fish > ~/.config/fish/completions/loushi.fish
"""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from .. import exitcodes
from . import cli

SHELLS = ("bash", "zsh", "fish")


@click.command("completion", epilog="Exit codes: 0 printed; 2 an unknown shell.")
@click.argument("shell", type=click.Choice(SHELLS))
def command(shell):
    """Print the completion script for SHELL (bash, zsh or fish): commands, options, model
    ids and formats complete on Tab. Bash: eval "$(loushi completion bash)" in ~/.bashrc."""
    completion = get_completion_class(shell)(cli, {}, "loushi", "_LOUSHI_COMPLETE")
    click.echo(completion.source())
    return exitcodes.OK
