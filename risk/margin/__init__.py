"""The margin engine: the book as arrays, the sweep, margin calls and their notifications."""
