"""Running jobs: the Dramatiq broker and actors, the in-process queue, the scheduler."""
