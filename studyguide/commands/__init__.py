"""Non-interactive commands: each module holds one subcommand's logic and output."""
