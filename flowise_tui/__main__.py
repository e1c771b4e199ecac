from flowise_tui.cli import main

raise SystemExit(main())
