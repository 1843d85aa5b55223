"""The main window's frame: menus, tray, header and the pages it shows."""
