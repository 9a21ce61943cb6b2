"""The API's sign-in (device tokens) and `me`."""
