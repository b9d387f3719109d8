/*
 * Test-environment shim for Wine 8.0 (Debian 12), which lacks bcryptprimitives.dll.
 * Go 1.24+ binaries call its ProcessPrng at start-up (Windows 10 and later have it),
 * so under this Wine they stop with "bcryptprimitives.dll not found". make test-release
 * copies this DLL into its private WINEPREFIX's system32 only; the released binaries
 * do not use or ship it. ProcessPrng fills the buffer from RtlGenRandom
 * (advapi32's SystemFunction036), which Wine implements.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
	while (size > 0) {
		ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
		if (!SystemFunction036(data, n)) {
			return FALSE;
		}
		data += n;
		size -= n;
	}
	return TRUE;
}
