"""What plans mean: the model, deadlines, recurring duties, owners in charge, and the
derived state of every task as of a date. Pure functions; nothing here reads a file or the clock."""
