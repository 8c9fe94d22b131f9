package parse

// bigramText stands for the logs the parser reads: it weighs what a
// bigram filter bucket lets through beyond its anchors. Only how often
// byte pairs occur in it matters, so it mixes the shapes that fill real
// files (timestamps, hex offsets, GUIDs, paths, event headers, English
// prose in several cases) rather than any one layout.
const bigramText = `2026-11-30 07:19:56.123 [INFO ] Task started: nightly image backup of volume C:\ to \\nas01\backup\server01
2026-11-30 07:19:56.456 [DEBUG] Reading block at offset 0x0000000000001000 length 0x00010000 from \\?\Volume{5f1d2c3a-7b9e-11ef-8a1d-806e6f6e6963}\
2026-11-30 07:19:57.001 [WARN ] Retrying request after a timeout, attempt 2 of 5 (elapsed 00:00:12)
2026-11-30 07:19:58.777 [ERROR] Operation failed with status code 1460; the service will try again later.
11/30/2026 7:20:01 AM  Information  Service Control Manager  7036  The Windows Update service entered the running state.
Log Name:      Application
Source:        Application Error
Date:          11/30/2026 7:20:04 AM
Event ID:      1000
Task Category: (100)
Level:         Error
Keywords:      Classic
User:          N/A
Computer:      FILESERVER02.corp.example.com
Description:
Faulting application name: svchost.exe, version: 10.0.20348.1, time stamp: 0x5a8f2e31
Faulting module name: ntdll.dll, version: 10.0.20348.2340, time stamp: 0x7ef1b03c
Exception code: 0xc0000005
Fault offset: 0x00000000000a4f1e
Faulting process id: 0x1f3c
Report Id: {3e8d1a57-92c4-4b6f-a0d2-55e1f0c9b7a4}
   at System.Net.Sockets.Socket.Receive(Byte[] buffer, Int32 offset, Int32 size)
   at Contoso.Agent.Transfer.CopyStream(Stream source, Stream target)
INFO  2026-11-30T07:21:09Z scheduler: job "daily-full" finished in 1h 12m 33s, 482 files, 73.4 GB transferred
DEBUG 2026-11-30T07:21:10Z http: GET /api/v2/status?host=server01&verbose=true -> 200 OK (35 ms)
Checking the consistency of the catalog; this may take several minutes on large repositories.
The process cannot access the file because it is being used by another process.
Copied 1,048,576 bytes (100%) to C:\ProgramData\Vendor\Cache\chunk_000417.dat
<Data Name="ProcessId">4812</Data><Data Name="ThreadId">7720</Data><Data Name="Path">C:\Windows\Temp</Data>
`
