; Inno Setup 6 script: the Windows installer of DTBD Desktop.
;
; Built by installer\build_windows.ps1, which passes the version and the folder of the
; PyInstaller bundle:  ISCC.exe /DAppVersion=0.1.0 /DDistDir=..\dist\dtbd-desktop installer\dtbd-desktop.iss
; Needs Inno Setup 6.3 or newer. The Vietnamese messages are the project's own translation,
; Vietnamese.isl next to this script. tests/test_installer.py compiles this script under Wine.
;
; What it does:
; - installs per user (no administrator needed; %LOCALAPPDATA%\Programs\DTBD Desktop) or, when
;   the person chooses it, for all users (Program Files);
; - Start-menu and desktop shortcuts; Vietnamese and English pages;
; - upgrades in place: the same AppId, the old program folder replaced (its _internal folder is
;   removed first, so no library of the previous version stays behind), the program closed
;   first if it is running; the data in %LOCALAPPDATA%\DTBD\DTBD Desktop is never touched;
; - uninstalling keeps the data unless the person answers that it should be deleted too
;   (asked twice; a silent uninstall always keeps it).
; This file is UTF-8 with a byte order mark, which Inno Setup needs to read Vietnamese.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppNumericVersion
  #define AppNumericVersion AppVersion
#endif
#ifndef DistDir
  #define DistDir "..\dist\dtbd-desktop"
#endif
#ifndef Compression
  ; tests/test_installer.py compiles with /DCompression=none: it checks the script, not lzma
  #define Compression "lzma2/max"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#define AppName "DTBD Desktop"
#define AppExe "dtbd-desktop.exe"
; The data folder: platformdirs.user_data_dir("DTBD Desktop", "DTBD") (dtbd_desktop/paths.py).
#define DataDir "{localappdata}\DTBD\DTBD Desktop"

#ifndef VietnameseIsl
  #if FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
    #define VietnameseIsl AddBackslash(SourcePath) + "Vietnamese.isl"
  #elif FileExists(AddBackslash(CompilerPath) + "Languages\Vietnamese.isl")
    #define VietnameseIsl "compiler:Languages\Vietnamese.isl"
  #elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\Vietnamese.isl")
    #define VietnameseIsl "compiler:Languages\Unofficial\Vietnamese.isl"
  #else
    #error Vietnamese.isl not found: put it next to this script (installer\README.md, "Building the installer")
  #endif
#endif

[Setup]
; Never change the AppId: it is how a new version finds and replaces the installed one.
AppId={{B4527717-6EAC-4034-BD4A-4C6FF5318BE7}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=DTBD
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=DTBD-Desktop-{#AppVersion}-Setup
SetupIconFile=..\resources\icons\dtbd.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression={#Compression}
SolidCompression=yes
ShowLanguageDialog=yes
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "vi"; MessagesFile: "{#VietnameseIsl}"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
vi.LaunchProgram=Mở DTBD Desktop
en.LaunchProgram=Start DTBD Desktop
vi.DeleteDataQuestion=Dữ liệu của DTBD Desktop trên máy này (cơ sở dữ liệu, các bản sao lưu tự động, khóa ký giấy chứng nhận, cấu hình) nằm trong thư mục:%n%n%1%n%nMặc định dữ liệu được GIỮ LẠI để cài lại hoặc chuyển sang máy khác.%n%nCó XÓA CẢ dữ liệu này không?
en.DeleteDataQuestion=DTBD Desktop's data on this PC (the database, the automatic backups, the certificate signing key, the configuration) is in the folder:%n%n%1%n%nBy default the data is KEPT, for a reinstall or a move to another PC.%n%nDelete this data TOO?
vi.DeleteDataConfirm=Toàn bộ dữ liệu trong %1 sẽ bị xóa vĩnh viễn và không thể khôi phục. Hãy chắc chắn đã có bản sao lưu ở nơi khác.%n%nXóa dữ liệu?
en.DeleteDataConfirm=All data in %1 will be deleted for good and cannot be recovered. Make sure a backup exists elsewhere.%n%nDelete the data?
vi.DataKept=Dữ liệu được giữ lại trong %1.
en.DataKept=The data is kept in %1.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle: libraries of the previous version must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram}"; Flags: nowait postinstall skipifsilent

[Code]
var
  DeleteData: Boolean;

function DataFolder(): String;
begin
  Result := ExpandConstant('{#DataDir}');
end;

{ Asked before anything is removed: keep the data (the default, and always when silent), or
  delete it too after a second confirmation. }
function InitializeUninstall(): Boolean;
begin
  Result := True;
  DeleteData := False;
  if UninstallSilent() or not DirExists(DataFolder()) then
    Exit;
  if MsgBox(FmtMessage(CustomMessage('DeleteDataQuestion'), [DataFolder()]),
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    DeleteData := MsgBox(FmtMessage(CustomMessage('DeleteDataConfirm'), [DataFolder()]),
                         mbError, MB_YESNO or MB_DEFBUTTON2) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  if DeleteData then
  begin
    DelTree(DataFolder(), True, True, True);
    RemoveDir(ExtractFileDir(DataFolder()));  { the DTBD folder, when nothing else is in it }
  end
  else if DirExists(DataFolder()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataFolder()]), mbInformation, MB_OK);
end;
