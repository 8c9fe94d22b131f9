//go:build amd64 && !purego

#include "textflag.h"

// func bigramMasksAVX2(tab *[9][32]byte, data []byte, out []uint32)
//
// For each 32-byte round: the first bytes of the round's bigrams are
// data[32k:32k+32] and the second bytes data[32k+1:32k+33]. In each bank,
// a byte's buckets are the AND of its low- and high-nibble lookups
// (VPSHUFB); a position is a candidate when its first and second byte
// share a bucket of either bank.
TEXT ·bigramMasksAVX2(SB), NOSPLIT, $0-56
	MOVQ tab+0(FP), AX
	MOVQ data_base+8(FP), SI
	MOVQ out_base+32(FP), DI
	MOVQ out_len+40(FP), CX
	TESTQ CX, CX
	JZ   done
	VMOVDQU 0(AX), Y6     // bank 1: first byte, low nibble
	VMOVDQU 32(AX), Y7    // first byte, high nibble
	VMOVDQU 64(AX), Y8    // second byte, low nibble
	VMOVDQU 96(AX), Y9    // second byte, high nibble
	VMOVDQU 128(AX), Y10  // bank 2
	VMOVDQU 160(AX), Y11
	VMOVDQU 192(AX), Y12
	VMOVDQU 224(AX), Y13
	VMOVDQU 256(AX), Y14  // 0x0f
	VPXOR   Y15, Y15, Y15

loop:
	VMOVDQU (SI), Y0
	VMOVDQU 1(SI), Y1
	VPSRLW  $4, Y0, Y2
	VPAND   Y14, Y0, Y0   // first bytes' low nibbles
	VPAND   Y14, Y2, Y2   // their high nibbles
	VPSRLW  $4, Y1, Y3
	VPAND   Y14, Y1, Y1   // second bytes' low nibbles
	VPAND   Y14, Y3, Y3   // their high nibbles

	VPSHUFB Y0, Y6, Y4
	VPSHUFB Y2, Y7, Y5
	VPAND   Y4, Y5, Y4
	VPSHUFB Y1, Y8, Y5
	VPAND   Y4, Y5, Y4
	VPSHUFB Y3, Y9, Y5
	VPAND   Y4, Y5, Y4    // bank 1 buckets shared

	VPSHUFB Y0, Y10, Y0
	VPSHUFB Y2, Y11, Y2
	VPAND   Y0, Y2, Y0
	VPSHUFB Y1, Y12, Y1
	VPAND   Y0, Y1, Y0
	VPSHUFB Y3, Y13, Y3
	VPAND   Y0, Y3, Y0    // bank 2 buckets shared

	VPOR    Y0, Y4, Y0
	VPCMPEQB Y15, Y0, Y0
	VPMOVMSKB Y0, AX
	NOTL    AX
	MOVL    AX, (DI)
	ADDQ    $32, SI
	ADDQ    $4, DI
	DECQ    CX
	JNZ     loop

done:
	VZEROUPPER
	RET
