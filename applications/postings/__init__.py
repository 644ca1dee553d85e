"""Adding an application from a job posting: reading what a posting page says about the job
(`reading`), and fetching the page behind a link a user typed without letting that link reach
anything but the public web (`fetching`)."""
