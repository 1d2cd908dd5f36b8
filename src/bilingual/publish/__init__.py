"""Publish: a reviewed briefing becomes the reader's edition and the day's digest."""
