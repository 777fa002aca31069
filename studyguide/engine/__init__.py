"""The study engine: FSRS scheduling, the review queue, exams, readiness and statistics.

Plain Python over the course model and the progress document; the TUI and the CLI both
drive it, and so do the tests.
"""
