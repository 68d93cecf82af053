from .cli import main

if __name__ == "__main__":  # also guards the re-import in spawned worker processes
    main()
