"""The automation shell: store, schedules, jobs and worker, delivery, mail and daily logs.

Everything here does I/O or reads the clock; it imports the pure core and is never
imported by it (the import contract in CI keeps it so). See docs/automation.md.
"""
