"""Read → clean → split → segment → describe → extract: files into frozen Documents."""
