import sys

from studyguide.cli import main

sys.exit(main())
