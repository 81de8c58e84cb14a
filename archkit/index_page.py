"""The `index` format: `<ws>/index.md` and `<ws>/index.html`, every view with its picture and sources."""
