"""API conventions: the error shape, pagination, input fields, throttling and the kernel endpoints."""
