# The app as an app (packaging/README.md): `make bundle`, `make install-desktop`,
# `make uninstall-desktop`. Included by the Makefile; not part of `make test`.

BUNDLE_STAMP := $(VENV)/.installed-bundle
BUNDLE       := dist/roundtable/roundtable

.PHONY: bundle install-desktop uninstall-desktop

# A one-folder PyInstaller bundle in dist/roundtable/, then its smoke test (the
# bundle run from elsewhere, headless: a loopback debate and --self-check).
bundle: $(BUNDLE_STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/roundtable.spec
	$(BIN)/python packaging/smoke_test.py $(BUNDLE)
	@du -sh dist/roundtable

# PyInstaller comes from the `bundle` extra, pinned like everything else.
$(BUNDLE_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt -e '.[bundle]'
	@touch $@ $(RUN_STAMP)

# The desktop entry and icons for the current user (freedesktop.org locations). The
# entry starts the bundle when one is built, else this checkout's venv.
XDG_DATA_HOME ?= $(HOME)/.local/share
APPLICATIONS  := $(XDG_DATA_HOME)/applications
HICOLOR       := $(XDG_DATA_HOME)/icons/hicolor
ICON_SIZES    := 16 24 32 48 64 128 256 512
APP_COMMAND    = $(if $(wildcard $(BUNDLE)),$(CURDIR)/$(BUNDLE),$(CURDIR)/$(BIN)/roundtable)

install-desktop:
	@test -x "$(APP_COMMAND)" || { echo "Nothing to start yet: run make bundle (or make run) first."; exit 1; }
	install -d "$(APPLICATIONS)"
	sed 's|^Exec=roundtable$$|Exec="$(APP_COMMAND)"|' packaging/linux/roundtable.desktop \
		> "$(APPLICATIONS)/roundtable.desktop"
	for size in $(ICON_SIZES); do \
		install -D -m 644 resources/icons/roundtable-$$size.png \
			"$(HICOLOR)/$${size}x$${size}/apps/roundtable.png" || exit 1; \
	done
	install -D -m 644 resources/icons/roundtable.svg "$(HICOLOR)/scalable/apps/roundtable.svg"
	-update-desktop-database -q "$(APPLICATIONS)" 2>/dev/null
	-gtk-update-icon-cache -q -t "$(HICOLOR)" 2>/dev/null
	@echo "Roundtable is in your applications menu; it starts $(APP_COMMAND)"

uninstall-desktop:
	rm -f "$(APPLICATIONS)/roundtable.desktop" "$(HICOLOR)/scalable/apps/roundtable.svg"
	for size in $(ICON_SIZES); do rm -f "$(HICOLOR)/$${size}x$${size}/apps/roundtable.png"; done
	-update-desktop-database -q "$(APPLICATIONS)" 2>/dev/null
	-gtk-update-icon-cache -q -t "$(HICOLOR)" 2>/dev/null
