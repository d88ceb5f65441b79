"""In-app notifications: messages to a user or to every user of an agency, a list and a
bell with the unread count in the navbar."""
