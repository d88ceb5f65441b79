"""The user guide (R22, R23): docs/guide/*.md shown in the application, and the help link
of each screen to its section."""
