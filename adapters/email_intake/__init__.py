"""The email edge: a message to the CME team's mailbox becomes a concern report."""
