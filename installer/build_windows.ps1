<#
.SYNOPSIS
  Build the Windows installer of DTBD Desktop: dist\DTBD-Desktop-<version>-Setup.exe

.DESCRIPTION
  From the project folder, in PowerShell:

      powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1

  1. uses .venv (creates it with Python 3.11+ and installs the project when missing) and
     installs PyInstaller into it when missing;
  2. compiles resources\translations\*.ts to .qm (pyside6-lrelease);
  3. runs PyInstaller with installer\dtbd-desktop.spec: dist\dtbd-desktop\ holds
     dtbd-desktop.exe (the program), dtbd.exe (the command line) and _internal\;
  4. runs "dtbd-desktop.exe --self-check" on the bundle (offscreen, on a temporary data folder)
     and stops if it fails;
  5. compiles installer\dtbd-desktop.iss with Inno Setup 6 (ISCC.exe).

  installer\README.md explains each step and what to install first.

.PARAMETER Python
  The Python interpreter used to create .venv (default: the "py -3" launcher, else "python").

.PARAMETER SkipInstaller
  Stop after the self-check (no Inno Setup needed): only dist\dtbd-desktop\ is made.
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [switch]$SkipInstaller
)

$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Venv = Join-Path $Root ".venv"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
$Dist = Join-Path $Root "dist"
$Work = Join-Path $Root "build\pyinstaller"

function Say([string]$Message) { Write-Host "== $Message" }

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

# 1. The virtual environment, with the project and PyInstaller in it.
if (-not (Test-Path $VenvPython)) {
    Say "creating .venv"
    if ($Python) {
        Invoke-Checked "creating .venv" { & $Python -m venv $Venv }
    } elseif (Get-Command py -ErrorAction SilentlyContinue) {
        Invoke-Checked "creating .venv (py -3)" { & py -3 -m venv $Venv }
    } else {
        Invoke-Checked "creating .venv (python)" { & python -m venv $Venv }
    }
    Invoke-Checked "installing the project" {
        & $VenvPython -m pip install --disable-pip-version-check --no-input -e $Root
    }
}
Invoke-Checked "checking Python 3.11+ (delete .venv and run again with -Python C:\path\to\python.exe)" {
    & $VenvPython -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"
}
# No 2>$null here: Windows PowerShell turns a redirected stderr line into an error that stops the script.
& $VenvPython -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('PyInstaller') else 1)"
if ($LASTEXITCODE -ne 0) {
    Say "installing PyInstaller"
    Invoke-Checked "installing PyInstaller" {
        & $VenvPython -m pip install --disable-pip-version-check --no-input "pyinstaller>=6.10,<7"
    }
}
$Version = (& $VenvPython -c "import dtbd_desktop; print(dtbd_desktop.__version__)").Trim()
$NumericVersion = ($Version -replace '[^0-9.].*$', '').TrimEnd('.')
Say "DTBD Desktop $Version"

# 2. Translations.
Say "compiling translations"
$Lrelease = Join-Path $Venv "Scripts\pyside6-lrelease.exe"
foreach ($Ts in Get-ChildItem (Join-Path $Root "resources\translations\*.ts")) {
    $Source = $Ts.FullName
    $Qm = [System.IO.Path]::ChangeExtension($Source, ".qm")
    Invoke-Checked "compiling $($Ts.Name)" { & $Lrelease -silent $Source -qm $Qm }
}

# 3. The one-folder bundle.
Say "PyInstaller (one folder) into $Dist"
$Started = Get-Date
Invoke-Checked "PyInstaller" {
    & $VenvPython -m PyInstaller --noconfirm --clean --log-level WARN `
        --distpath $Dist --workpath $Work (Join-Path $Root "installer\dtbd-desktop.spec")
}
$Bundle = Join-Path $Dist "dtbd-desktop"
Say ("built in {0:N0} s" -f ((Get-Date) - $Started).TotalSeconds)

# 4. The self-check of the bundle. The program has no console, so its report is read from the
#    file it writes into the temporary folder.
Say "self-check of the bundle"
$CheckHome = Join-Path ([System.IO.Path]::GetTempPath()) ("dtbd-build-check-" + [guid]::NewGuid().ToString("N"))
New-Item -ItemType Directory -Path $CheckHome | Out-Null
$Saved = @{ DTBD_DATA_DIR = $env:DTBD_DATA_DIR; TMP = $env:TMP; TEMP = $env:TEMP; TMPDIR = $env:TMPDIR;
            QT_QPA_PLATFORM = $env:QT_QPA_PLATFORM }
try {
    $env:DTBD_DATA_DIR = Join-Path $CheckHome "data"
    $env:TMP = $CheckHome; $env:TEMP = $CheckHome; $env:TMPDIR = $CheckHome
    $env:QT_QPA_PLATFORM = "offscreen"
    $Process = Start-Process -FilePath (Join-Path $Bundle "dtbd-desktop.exe") -ArgumentList "--self-check" `
        -Wait -PassThru -NoNewWindow
    $Report = Join-Path $CheckHome "dtbd-selfcheck.txt"
    if (Test-Path $Report) { Get-Content -Encoding UTF8 $Report | Write-Host }
    if ($Process.ExitCode -ne 0) { throw "the self-check of the bundle failed (exit code $($Process.ExitCode))" }
    Invoke-Checked "dtbd.exe --version" { & (Join-Path $Bundle "dtbd.exe") --version }
} finally {
    foreach ($Name in $Saved.Keys) {
        if ($null -eq $Saved[$Name]) { Remove-Item -Path "Env:$Name" -ErrorAction SilentlyContinue }
        else { Set-Item -Path "Env:$Name" -Value $Saved[$Name] }
    }
    Remove-Item -Recurse -Force $CheckHome -ErrorAction SilentlyContinue
}
if ($SkipInstaller) {
    Say "done (no installer): $Bundle"
    exit 0
}

# 5. The installer.
$Iscc = $env:ISCC
if (-not $Iscc) {
    $Candidates = @(
        (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
    )
    $Iscc = $Candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
    if (-not $Iscc) {
        $OnPath = Get-Command ISCC.exe -ErrorAction SilentlyContinue
        if ($OnPath) { $Iscc = $OnPath.Source }
    }
}
if (-not $Iscc) {
    throw "Inno Setup 6 (ISCC.exe) not found: install it (installer\README.md) or set the ISCC variable to its path"
}
Say "Inno Setup: $Iscc"
Invoke-Checked "Inno Setup" {
    & $Iscc "/DAppVersion=$Version" "/DAppNumericVersion=$NumericVersion" "/DDistDir=$Bundle" "/DOutputDir=$Dist" `
        (Join-Path $Root "installer\dtbd-desktop.iss")
}
$Setup = Join-Path $Dist "DTBD-Desktop-$Version-Setup.exe"
Say "done: $Setup"
