// Byte-exact encoding tests for X64Assembler.
//
// Every expected byte string in the encoding tests was produced by clang's integrated
// assembler (`clang -c -x assembler`, Intel syntax) and read back with llvm-objdump, not by
// the encoder under test. The first argument of each `check` is the exact Intel-syntax text
// clang assembled: "; " separates instructions, `{disp32}` forces the rel32 form of a jump
// and the disp32 form of an address, `.p2align` pads relative to the start of the snippet,
// and `.Lname` is a local label.

import Testing
@testable import Kiln

@Suite struct X64AssemblerTests {
    /// Emits with `emit` into a fresh assembler and compares the finished code with `expected`.
    func check(
        _ intel: String, _ expected: [UInt8], _ emit: (inout X64Assembler) -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var a = X64Assembler()
        emit(&a)
        let code = a.finish()
        #expect(code == expected, "\(intel): got \(hex(code)), expected \(hex(expected))", sourceLocation: sourceLocation)
    }

    func hex(_ bytes: [UInt8]) -> String {
        bytes.map { b in
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }.joined(separator: " ")
    }

    /// `GPR(number:)` and `XMM(number:)` reinterpret the number as the case: each case's
    /// number must give that case back.
    @Test func registersByNumber() {
        for register in GPR.allCases { #expect(GPR(number: register.rawValue) == register) }
        for register in XMM.allCases { #expect(XMM(number: register.rawValue) == register) }
        #expect(GPR.allCases.map(\.rawValue) == Array(0..<16))
        #expect(XMM.allCases.map(\.rawValue) == Array(0..<16))
    }

    @Test func movRegisterToRegister() {
        check("mov eax, ecx", [0x89, 0xC8]) { $0.mov(.s32, .rax, .rcx) }
        check("mov ecx, eax", [0x89, 0xC1]) { $0.mov(.s32, .rcx, .rax) }
        check("mov r8d, eax", [0x41, 0x89, 0xC0]) { $0.mov(.s32, .r8, .rax) }
        check("mov eax, r8d", [0x44, 0x89, 0xC0]) { $0.mov(.s32, .rax, .r8) }
        check("mov r15d, r9d", [0x45, 0x89, 0xCF]) { $0.mov(.s32, .r15, .r9) }
        check("mov esp, ebp", [0x89, 0xEC]) { $0.mov(.s32, .rsp, .rbp) }
        check("mov r12d, r13d", [0x45, 0x89, 0xEC]) { $0.mov(.s32, .r12, .r13) }
        check("mov edi, esi", [0x89, 0xF7]) { $0.mov(.s32, .rdi, .rsi) }
        check("mov rax, rcx", [0x48, 0x89, 0xC8]) { $0.mov(.s64, .rax, .rcx) }
        check("mov rcx, rax", [0x48, 0x89, 0xC1]) { $0.mov(.s64, .rcx, .rax) }
        check("mov r8, rax", [0x49, 0x89, 0xC0]) { $0.mov(.s64, .r8, .rax) }
        check("mov rax, r8", [0x4C, 0x89, 0xC0]) { $0.mov(.s64, .rax, .r8) }
        check("mov r15, r9", [0x4D, 0x89, 0xCF]) { $0.mov(.s64, .r15, .r9) }
        check("mov rsp, rbp", [0x48, 0x89, 0xEC]) { $0.mov(.s64, .rsp, .rbp) }
        check("mov r12, r13", [0x4D, 0x89, 0xEC]) { $0.mov(.s64, .r12, .r13) }
        check("mov rdi, rsi", [0x48, 0x89, 0xF7]) { $0.mov(.s64, .rdi, .rsi) }
    }

    @Test func movImmediate() {
        check("mov eax, 0", [0xB8, 0x00, 0x00, 0x00, 0x00]) { $0.mov(.s32, .rax, imm: 0) }
        check("mov eax, 1", [0xB8, 0x01, 0x00, 0x00, 0x00]) { $0.mov(.s32, .rax, imm: 1) }
        check("mov ecx, -1", [0xB9, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.mov(.s32, .rcx, imm: -1) }
        check("mov r8d, 0x7fffffff", [0x41, 0xB8, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s32, .r8, imm: 0x7FFFFFFF) }
        check("mov r15d, 0x80000000", [0x41, 0xBF, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s32, .r15, imm: 0x80000000) }
        check("mov ebx, 0xffffffff", [0xBB, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.mov(.s32, .rbx, imm: 0xFFFFFFFF) }
        check("mov esp, -0x80000000", [0xBC, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s32, .rsp, imm: -0x80000000) }
        check("mov eax, 0", [0xB8, 0x00, 0x00, 0x00, 0x00]) { $0.mov(.s64, .rax, imm: 0) }
        check("mov eax, 1", [0xB8, 0x01, 0x00, 0x00, 0x00]) { $0.mov(.s64, .rax, imm: 1) }
        check("mov r9d, 0xffffffff", [0x41, 0xB9, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .r9, imm: 0xFFFFFFFF) }
        check("mov eax, 0x80000000", [0xB8, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s64, .rax, imm: 0x80000000) }
        check("mov rcx, -1", [0x48, 0xC7, 0xC1, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .rcx, imm: -1) }
        check("mov r12, -0x80000000", [0x49, 0xC7, 0xC4, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s64, .r12, imm: -0x80000000) }
        check("mov rax, -2", [0x48, 0xC7, 0xC0, 0xFE, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .rax, imm: -2) }
        check("movabs rdx, 0x100000000", [0x48, 0xBA, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]) { $0.mov(.s64, .rdx, imm: 0x100000000) }
        check("movabs r15, -0x80000001", [0x49, 0xBF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .r15, imm: -0x80000001) }
        check("movabs rsi, -0x8000000000000000", [0x48, 0xBE, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s64, .rsi, imm: -0x8000000000000000) }
        check("movabs r11, 0x7fffffffffffffff", [0x49, 0xBB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s64, .r11, imm: 0x7FFFFFFFFFFFFFFF) }
        check("movabs rax, 0x123456789abcdef0", [0x48, 0xB8, 0xF0, 0xDE, 0xBC, 0x9A, 0x78, 0x56, 0x34, 0x12]) { $0.mov(.s64, .rax, imm: 0x123456789ABCDEF0) }
        check("movabs rax, 1", [0x48, 0xB8, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]) { $0.movabs(.rax, imm: 1) }
        check("movabs r10, -1", [0x49, 0xBA, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.movabs(.r10, imm: -1) }
        check("movabs rdi, 0x1122334455667788", [0x48, 0xBF, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]) { $0.movabs(.rdi, imm: 0x1122334455667788) }
    }

    @Test func movLoad() {
        check("mov ecx, dword ptr [rax]", [0x8B, 0x08]) { $0.mov(.s32, .rcx, .base(.rax)) }
        check("mov r9d, dword ptr [rax]", [0x44, 0x8B, 0x08]) { $0.mov(.s32, .r9, .base(.rax)) }
        check("mov rax, qword ptr [rax]", [0x48, 0x8B, 0x00]) { $0.mov(.s64, .rax, .base(.rax)) }
        check("mov r11, qword ptr [rax]", [0x4C, 0x8B, 0x18]) { $0.mov(.s64, .r11, .base(.rax)) }
        check("mov ecx, dword ptr [rcx + 8]", [0x8B, 0x49, 0x08]) { $0.mov(.s32, .rcx, .base(.rcx, 8)) }
        check("mov r9d, dword ptr [rcx + 8]", [0x44, 0x8B, 0x49, 0x08]) { $0.mov(.s32, .r9, .base(.rcx, 8)) }
        check("mov rax, qword ptr [rcx + 8]", [0x48, 0x8B, 0x41, 0x08]) { $0.mov(.s64, .rax, .base(.rcx, 8)) }
        check("mov r11, qword ptr [rcx + 8]", [0x4C, 0x8B, 0x59, 0x08]) { $0.mov(.s64, .r11, .base(.rcx, 8)) }
        check("mov ecx, dword ptr [rsp]", [0x8B, 0x0C, 0x24]) { $0.mov(.s32, .rcx, .base(.rsp)) }
        check("mov r9d, dword ptr [rsp]", [0x44, 0x8B, 0x0C, 0x24]) { $0.mov(.s32, .r9, .base(.rsp)) }
        check("mov rax, qword ptr [rsp]", [0x48, 0x8B, 0x04, 0x24]) { $0.mov(.s64, .rax, .base(.rsp)) }
        check("mov r11, qword ptr [rsp]", [0x4C, 0x8B, 0x1C, 0x24]) { $0.mov(.s64, .r11, .base(.rsp)) }
        check("mov ecx, dword ptr [r12]", [0x41, 0x8B, 0x0C, 0x24]) { $0.mov(.s32, .rcx, .base(.r12)) }
        check("mov r9d, dword ptr [r12]", [0x45, 0x8B, 0x0C, 0x24]) { $0.mov(.s32, .r9, .base(.r12)) }
        check("mov rax, qword ptr [r12]", [0x49, 0x8B, 0x04, 0x24]) { $0.mov(.s64, .rax, .base(.r12)) }
        check("mov r11, qword ptr [r12]", [0x4D, 0x8B, 0x1C, 0x24]) { $0.mov(.s64, .r11, .base(.r12)) }
        check("mov ecx, dword ptr [rsp + 16]", [0x8B, 0x4C, 0x24, 0x10]) { $0.mov(.s32, .rcx, .base(.rsp, 16)) }
        check("mov r9d, dword ptr [rsp + 16]", [0x44, 0x8B, 0x4C, 0x24, 0x10]) { $0.mov(.s32, .r9, .base(.rsp, 16)) }
        check("mov rax, qword ptr [rsp + 16]", [0x48, 0x8B, 0x44, 0x24, 0x10]) { $0.mov(.s64, .rax, .base(.rsp, 16)) }
        check("mov r11, qword ptr [rsp + 16]", [0x4C, 0x8B, 0x5C, 0x24, 0x10]) { $0.mov(.s64, .r11, .base(.rsp, 16)) }
        check("mov ecx, dword ptr [r12 - 8]", [0x41, 0x8B, 0x4C, 0x24, 0xF8]) { $0.mov(.s32, .rcx, .base(.r12, -8)) }
        check("mov r9d, dword ptr [r12 - 8]", [0x45, 0x8B, 0x4C, 0x24, 0xF8]) { $0.mov(.s32, .r9, .base(.r12, -8)) }
        check("mov rax, qword ptr [r12 - 8]", [0x49, 0x8B, 0x44, 0x24, 0xF8]) { $0.mov(.s64, .rax, .base(.r12, -8)) }
        check("mov r11, qword ptr [r12 - 8]", [0x4D, 0x8B, 0x5C, 0x24, 0xF8]) { $0.mov(.s64, .r11, .base(.r12, -8)) }
        check("mov ecx, dword ptr [rbp]", [0x8B, 0x4D, 0x00]) { $0.mov(.s32, .rcx, .base(.rbp)) }
        check("mov r9d, dword ptr [rbp]", [0x44, 0x8B, 0x4D, 0x00]) { $0.mov(.s32, .r9, .base(.rbp)) }
        check("mov rax, qword ptr [rbp]", [0x48, 0x8B, 0x45, 0x00]) { $0.mov(.s64, .rax, .base(.rbp)) }
        check("mov r11, qword ptr [rbp]", [0x4C, 0x8B, 0x5D, 0x00]) { $0.mov(.s64, .r11, .base(.rbp)) }
        check("mov ecx, dword ptr [r13]", [0x41, 0x8B, 0x4D, 0x00]) { $0.mov(.s32, .rcx, .base(.r13)) }
        check("mov r9d, dword ptr [r13]", [0x45, 0x8B, 0x4D, 0x00]) { $0.mov(.s32, .r9, .base(.r13)) }
        check("mov rax, qword ptr [r13]", [0x49, 0x8B, 0x45, 0x00]) { $0.mov(.s64, .rax, .base(.r13)) }
        check("mov r11, qword ptr [r13]", [0x4D, 0x8B, 0x5D, 0x00]) { $0.mov(.s64, .r11, .base(.r13)) }
        check("mov ecx, dword ptr [rbp - 16]", [0x8B, 0x4D, 0xF0]) { $0.mov(.s32, .rcx, .base(.rbp, -16)) }
        check("mov r9d, dword ptr [rbp - 16]", [0x44, 0x8B, 0x4D, 0xF0]) { $0.mov(.s32, .r9, .base(.rbp, -16)) }
        check("mov rax, qword ptr [rbp - 16]", [0x48, 0x8B, 0x45, 0xF0]) { $0.mov(.s64, .rax, .base(.rbp, -16)) }
        check("mov r11, qword ptr [rbp - 16]", [0x4C, 0x8B, 0x5D, 0xF0]) { $0.mov(.s64, .r11, .base(.rbp, -16)) }
        check("mov ecx, dword ptr [rbx + 127]", [0x8B, 0x4B, 0x7F]) { $0.mov(.s32, .rcx, .base(.rbx, 127)) }
        check("mov r9d, dword ptr [rbx + 127]", [0x44, 0x8B, 0x4B, 0x7F]) { $0.mov(.s32, .r9, .base(.rbx, 127)) }
        check("mov rax, qword ptr [rbx + 127]", [0x48, 0x8B, 0x43, 0x7F]) { $0.mov(.s64, .rax, .base(.rbx, 127)) }
        check("mov r11, qword ptr [rbx + 127]", [0x4C, 0x8B, 0x5B, 0x7F]) { $0.mov(.s64, .r11, .base(.rbx, 127)) }
        check("mov ecx, dword ptr [rbx + 128]", [0x8B, 0x8B, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s32, .rcx, .base(.rbx, 128)) }
        check("mov r9d, dword ptr [rbx + 128]", [0x44, 0x8B, 0x8B, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s32, .r9, .base(.rbx, 128)) }
        check("mov rax, qword ptr [rbx + 128]", [0x48, 0x8B, 0x83, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s64, .rax, .base(.rbx, 128)) }
        check("mov r11, qword ptr [rbx + 128]", [0x4C, 0x8B, 0x9B, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s64, .r11, .base(.rbx, 128)) }
        check("mov ecx, dword ptr [rsi - 128]", [0x8B, 0x4E, 0x80]) { $0.mov(.s32, .rcx, .base(.rsi, -128)) }
        check("mov r9d, dword ptr [rsi - 128]", [0x44, 0x8B, 0x4E, 0x80]) { $0.mov(.s32, .r9, .base(.rsi, -128)) }
        check("mov rax, qword ptr [rsi - 128]", [0x48, 0x8B, 0x46, 0x80]) { $0.mov(.s64, .rax, .base(.rsi, -128)) }
        check("mov r11, qword ptr [rsi - 128]", [0x4C, 0x8B, 0x5E, 0x80]) { $0.mov(.s64, .r11, .base(.rsi, -128)) }
        check("mov ecx, dword ptr [rsi - 129]", [0x8B, 0x8E, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s32, .rcx, .base(.rsi, -129)) }
        check("mov r9d, dword ptr [rsi - 129]", [0x44, 0x8B, 0x8E, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s32, .r9, .base(.rsi, -129)) }
        check("mov rax, qword ptr [rsi - 129]", [0x48, 0x8B, 0x86, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .rax, .base(.rsi, -129)) }
        check("mov r11, qword ptr [rsi - 129]", [0x4C, 0x8B, 0x9E, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .r11, .base(.rsi, -129)) }
        check("mov ecx, dword ptr [r15 + 0x12345678]", [0x41, 0x8B, 0x8F, 0x78, 0x56, 0x34, 0x12]) { $0.mov(.s32, .rcx, .base(.r15, 0x12345678)) }
        check("mov r9d, dword ptr [r15 + 0x12345678]", [0x45, 0x8B, 0x8F, 0x78, 0x56, 0x34, 0x12]) { $0.mov(.s32, .r9, .base(.r15, 0x12345678)) }
        check("mov rax, qword ptr [r15 + 0x12345678]", [0x49, 0x8B, 0x87, 0x78, 0x56, 0x34, 0x12]) { $0.mov(.s64, .rax, .base(.r15, 0x12345678)) }
        check("mov r11, qword ptr [r15 + 0x12345678]", [0x4D, 0x8B, 0x9F, 0x78, 0x56, 0x34, 0x12]) { $0.mov(.s64, .r11, .base(.r15, 0x12345678)) }
        check("mov ecx, dword ptr [rdi - 0x80000000]", [0x8B, 0x8F, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s32, .rcx, .base(.rdi, -0x80000000)) }
        check("mov r9d, dword ptr [rdi - 0x80000000]", [0x44, 0x8B, 0x8F, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s32, .r9, .base(.rdi, -0x80000000)) }
        check("mov rax, qword ptr [rdi - 0x80000000]", [0x48, 0x8B, 0x87, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s64, .rax, .base(.rdi, -0x80000000)) }
        check("mov r11, qword ptr [rdi - 0x80000000]", [0x4C, 0x8B, 0x9F, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s64, .r11, .base(.rdi, -0x80000000)) }
        check("mov ecx, dword ptr [r8 + 0x7fffffff]", [0x41, 0x8B, 0x88, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s32, .rcx, .base(.r8, 0x7FFFFFFF)) }
        check("mov r9d, dword ptr [r8 + 0x7fffffff]", [0x45, 0x8B, 0x88, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s32, .r9, .base(.r8, 0x7FFFFFFF)) }
        check("mov rax, qword ptr [r8 + 0x7fffffff]", [0x49, 0x8B, 0x80, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s64, .rax, .base(.r8, 0x7FFFFFFF)) }
        check("mov r11, qword ptr [r8 + 0x7fffffff]", [0x4D, 0x8B, 0x98, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s64, .r11, .base(.r8, 0x7FFFFFFF)) }
        check("mov ecx, dword ptr [rax + rcx*1]", [0x8B, 0x0C, 0x08]) { $0.mov(.s32, .rcx, .base(.rax, index: .rcx, scale: 1)) }
        check("mov r9d, dword ptr [rax + rcx*1]", [0x44, 0x8B, 0x0C, 0x08]) { $0.mov(.s32, .r9, .base(.rax, index: .rcx, scale: 1)) }
        check("mov rax, qword ptr [rax + rcx*1]", [0x48, 0x8B, 0x04, 0x08]) { $0.mov(.s64, .rax, .base(.rax, index: .rcx, scale: 1)) }
        check("mov r11, qword ptr [rax + rcx*1]", [0x4C, 0x8B, 0x1C, 0x08]) { $0.mov(.s64, .r11, .base(.rax, index: .rcx, scale: 1)) }
        check("mov ecx, dword ptr [rdx + rbx*2 + 16]", [0x8B, 0x4C, 0x5A, 0x10]) { $0.mov(.s32, .rcx, .base(.rdx, index: .rbx, scale: 2, 16)) }
        check("mov r9d, dword ptr [rdx + rbx*2 + 16]", [0x44, 0x8B, 0x4C, 0x5A, 0x10]) { $0.mov(.s32, .r9, .base(.rdx, index: .rbx, scale: 2, 16)) }
        check("mov rax, qword ptr [rdx + rbx*2 + 16]", [0x48, 0x8B, 0x44, 0x5A, 0x10]) { $0.mov(.s64, .rax, .base(.rdx, index: .rbx, scale: 2, 16)) }
        check("mov r11, qword ptr [rdx + rbx*2 + 16]", [0x4C, 0x8B, 0x5C, 0x5A, 0x10]) { $0.mov(.s64, .r11, .base(.rdx, index: .rbx, scale: 2, 16)) }
        check("mov ecx, dword ptr [rbp + rsi*4]", [0x8B, 0x4C, 0xB5, 0x00]) { $0.mov(.s32, .rcx, .base(.rbp, index: .rsi, scale: 4)) }
        check("mov r9d, dword ptr [rbp + rsi*4]", [0x44, 0x8B, 0x4C, 0xB5, 0x00]) { $0.mov(.s32, .r9, .base(.rbp, index: .rsi, scale: 4)) }
        check("mov rax, qword ptr [rbp + rsi*4]", [0x48, 0x8B, 0x44, 0xB5, 0x00]) { $0.mov(.s64, .rax, .base(.rbp, index: .rsi, scale: 4)) }
        check("mov r11, qword ptr [rbp + rsi*4]", [0x4C, 0x8B, 0x5C, 0xB5, 0x00]) { $0.mov(.s64, .r11, .base(.rbp, index: .rsi, scale: 4)) }
        check("mov ecx, dword ptr [r13 + r14*8 - 8]", [0x43, 0x8B, 0x4C, 0xF5, 0xF8]) { $0.mov(.s32, .rcx, .base(.r13, index: .r14, scale: 8, -8)) }
        check("mov r9d, dword ptr [r13 + r14*8 - 8]", [0x47, 0x8B, 0x4C, 0xF5, 0xF8]) { $0.mov(.s32, .r9, .base(.r13, index: .r14, scale: 8, -8)) }
        check("mov rax, qword ptr [r13 + r14*8 - 8]", [0x4B, 0x8B, 0x44, 0xF5, 0xF8]) { $0.mov(.s64, .rax, .base(.r13, index: .r14, scale: 8, -8)) }
        check("mov r11, qword ptr [r13 + r14*8 - 8]", [0x4F, 0x8B, 0x5C, 0xF5, 0xF8]) { $0.mov(.s64, .r11, .base(.r13, index: .r14, scale: 8, -8)) }
        check("mov ecx, dword ptr [rsp + r12*1 + 200]", [0x42, 0x8B, 0x8C, 0x24, 0xC8, 0x00, 0x00, 0x00]) { $0.mov(.s32, .rcx, .base(.rsp, index: .r12, scale: 1, 200)) }
        check("mov r9d, dword ptr [rsp + r12*1 + 200]", [0x46, 0x8B, 0x8C, 0x24, 0xC8, 0x00, 0x00, 0x00]) { $0.mov(.s32, .r9, .base(.rsp, index: .r12, scale: 1, 200)) }
        check("mov rax, qword ptr [rsp + r12*1 + 200]", [0x4A, 0x8B, 0x84, 0x24, 0xC8, 0x00, 0x00, 0x00]) { $0.mov(.s64, .rax, .base(.rsp, index: .r12, scale: 1, 200)) }
        check("mov r11, qword ptr [rsp + r12*1 + 200]", [0x4E, 0x8B, 0x9C, 0x24, 0xC8, 0x00, 0x00, 0x00]) { $0.mov(.s64, .r11, .base(.rsp, index: .r12, scale: 1, 200)) }
        check("mov ecx, dword ptr [r12 + rbp*4]", [0x41, 0x8B, 0x0C, 0xAC]) { $0.mov(.s32, .rcx, .base(.r12, index: .rbp, scale: 4)) }
        check("mov r9d, dword ptr [r12 + rbp*4]", [0x45, 0x8B, 0x0C, 0xAC]) { $0.mov(.s32, .r9, .base(.r12, index: .rbp, scale: 4)) }
        check("mov rax, qword ptr [r12 + rbp*4]", [0x49, 0x8B, 0x04, 0xAC]) { $0.mov(.s64, .rax, .base(.r12, index: .rbp, scale: 4)) }
        check("mov r11, qword ptr [r12 + rbp*4]", [0x4D, 0x8B, 0x1C, 0xAC]) { $0.mov(.s64, .r11, .base(.r12, index: .rbp, scale: 4)) }
        check("mov ecx, dword ptr [r9 + r10*2 + 1000]", [0x43, 0x8B, 0x8C, 0x51, 0xE8, 0x03, 0x00, 0x00]) { $0.mov(.s32, .rcx, .base(.r9, index: .r10, scale: 2, 1000)) }
        check("mov r9d, dword ptr [r9 + r10*2 + 1000]", [0x47, 0x8B, 0x8C, 0x51, 0xE8, 0x03, 0x00, 0x00]) { $0.mov(.s32, .r9, .base(.r9, index: .r10, scale: 2, 1000)) }
        check("mov rax, qword ptr [r9 + r10*2 + 1000]", [0x4B, 0x8B, 0x84, 0x51, 0xE8, 0x03, 0x00, 0x00]) { $0.mov(.s64, .rax, .base(.r9, index: .r10, scale: 2, 1000)) }
        check("mov r11, qword ptr [r9 + r10*2 + 1000]", [0x4F, 0x8B, 0x9C, 0x51, 0xE8, 0x03, 0x00, 0x00]) { $0.mov(.s64, .r11, .base(.r9, index: .r10, scale: 2, 1000)) }
        check("mov ecx, dword ptr [rcx + r15*8 - 129]", [0x42, 0x8B, 0x8C, 0xF9, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s32, .rcx, .base(.rcx, index: .r15, scale: 8, -129)) }
        check("mov r9d, dword ptr [rcx + r15*8 - 129]", [0x46, 0x8B, 0x8C, 0xF9, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s32, .r9, .base(.rcx, index: .r15, scale: 8, -129)) }
        check("mov rax, qword ptr [rcx + r15*8 - 129]", [0x4A, 0x8B, 0x84, 0xF9, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .rax, .base(.rcx, index: .r15, scale: 8, -129)) }
        check("mov r11, qword ptr [rcx + r15*8 - 129]", [0x4E, 0x8B, 0x9C, 0xF9, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .r11, .base(.rcx, index: .r15, scale: 8, -129)) }
        check("mov ecx, dword ptr [rcx*8 + 64]", [0x8B, 0x0C, 0xCD, 0x40, 0x00, 0x00, 0x00]) { $0.mov(.s32, .rcx, .index(.rcx, scale: 8, 64)) }
        check("mov r9d, dword ptr [rcx*8 + 64]", [0x44, 0x8B, 0x0C, 0xCD, 0x40, 0x00, 0x00, 0x00]) { $0.mov(.s32, .r9, .index(.rcx, scale: 8, 64)) }
        check("mov rax, qword ptr [rcx*8 + 64]", [0x48, 0x8B, 0x04, 0xCD, 0x40, 0x00, 0x00, 0x00]) { $0.mov(.s64, .rax, .index(.rcx, scale: 8, 64)) }
        check("mov r11, qword ptr [rcx*8 + 64]", [0x4C, 0x8B, 0x1C, 0xCD, 0x40, 0x00, 0x00, 0x00]) { $0.mov(.s64, .r11, .index(.rcx, scale: 8, 64)) }
        check("mov ecx, dword ptr [r11*4]", [0x42, 0x8B, 0x0C, 0x9D, 0x00, 0x00, 0x00, 0x00]) { $0.mov(.s32, .rcx, .index(.r11, scale: 4)) }
        check("mov r9d, dword ptr [r11*4]", [0x46, 0x8B, 0x0C, 0x9D, 0x00, 0x00, 0x00, 0x00]) { $0.mov(.s32, .r9, .index(.r11, scale: 4)) }
        check("mov rax, qword ptr [r11*4]", [0x4A, 0x8B, 0x04, 0x9D, 0x00, 0x00, 0x00, 0x00]) { $0.mov(.s64, .rax, .index(.r11, scale: 4)) }
        check("mov r11, qword ptr [r11*4]", [0x4E, 0x8B, 0x1C, 0x9D, 0x00, 0x00, 0x00, 0x00]) { $0.mov(.s64, .r11, .index(.r11, scale: 4)) }
        check("mov ecx, dword ptr [4096]", [0x8B, 0x0C, 0x25, 0x00, 0x10, 0x00, 0x00]) { $0.mov(.s32, .rcx, .absolute(4096)) }
        check("mov r9d, dword ptr [4096]", [0x44, 0x8B, 0x0C, 0x25, 0x00, 0x10, 0x00, 0x00]) { $0.mov(.s32, .r9, .absolute(4096)) }
        check("mov rax, qword ptr [4096]", [0x48, 0x8B, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00]) { $0.mov(.s64, .rax, .absolute(4096)) }
        check("mov r11, qword ptr [4096]", [0x4C, 0x8B, 0x1C, 0x25, 0x00, 0x10, 0x00, 0x00]) { $0.mov(.s64, .r11, .absolute(4096)) }
    }

    @Test func movStore() {
        check("mov byte ptr [rax], al", [0x88, 0x00]) { $0.mov(.s8, .base(.rax), .rax) }
        check("mov byte ptr [rcx + 8], al", [0x88, 0x41, 0x08]) { $0.mov(.s8, .base(.rcx, 8), .rax) }
        check("mov byte ptr [rsp], al", [0x88, 0x04, 0x24]) { $0.mov(.s8, .base(.rsp), .rax) }
        check("mov byte ptr [r12 - 8], cl", [0x41, 0x88, 0x4C, 0x24, 0xF8]) { $0.mov(.s8, .base(.r12, -8), .rcx) }
        check("mov byte ptr [rbp], cl", [0x88, 0x4D, 0x00]) { $0.mov(.s8, .base(.rbp), .rcx) }
        check("mov byte ptr [r13], cl", [0x41, 0x88, 0x4D, 0x00]) { $0.mov(.s8, .base(.r13), .rcx) }
        check("mov byte ptr [rbx + 128], bl", [0x88, 0x9B, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s8, .base(.rbx, 128), .rbx) }
        check("mov byte ptr [rsi - 128], bl", [0x88, 0x5E, 0x80]) { $0.mov(.s8, .base(.rsi, -128), .rbx) }
        check("mov byte ptr [rsi - 129], bl", [0x88, 0x9E, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s8, .base(.rsi, -129), .rbx) }
        check("mov byte ptr [r8 + 0x7fffffff], spl", [0x41, 0x88, 0xA0, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s8, .base(.r8, 0x7FFFFFFF), .rsp) }
        check("mov byte ptr [rax + rcx*1], spl", [0x40, 0x88, 0x24, 0x08]) { $0.mov(.s8, .base(.rax, index: .rcx, scale: 1), .rsp) }
        check("mov byte ptr [rdx + rbx*2 + 16], spl", [0x40, 0x88, 0x64, 0x5A, 0x10]) { $0.mov(.s8, .base(.rdx, index: .rbx, scale: 2, 16), .rsp) }
        check("mov byte ptr [rsp + r12*1 + 200], bpl", [0x42, 0x88, 0xAC, 0x24, 0xC8, 0x00, 0x00, 0x00]) { $0.mov(.s8, .base(.rsp, index: .r12, scale: 1, 200), .rbp) }
        check("mov byte ptr [r12 + rbp*4], bpl", [0x41, 0x88, 0x2C, 0xAC]) { $0.mov(.s8, .base(.r12, index: .rbp, scale: 4), .rbp) }
        check("mov byte ptr [r9 + r10*2 + 1000], bpl", [0x43, 0x88, 0xAC, 0x51, 0xE8, 0x03, 0x00, 0x00]) { $0.mov(.s8, .base(.r9, index: .r10, scale: 2, 1000), .rbp) }
        check("mov byte ptr [r11*4], sil", [0x42, 0x88, 0x34, 0x9D, 0x00, 0x00, 0x00, 0x00]) { $0.mov(.s8, .index(.r11, scale: 4), .rsi) }
        check("mov byte ptr [4096], sil", [0x40, 0x88, 0x34, 0x25, 0x00, 0x10, 0x00, 0x00]) { $0.mov(.s8, .absolute(4096), .rsi) }
        check("mov byte ptr [rax], sil", [0x40, 0x88, 0x30]) { $0.mov(.s8, .base(.rax), .rsi) }
        check("mov byte ptr [r12], dil", [0x41, 0x88, 0x3C, 0x24]) { $0.mov(.s8, .base(.r12), .rdi) }
        check("mov byte ptr [rsp + 16], dil", [0x40, 0x88, 0x7C, 0x24, 0x10]) { $0.mov(.s8, .base(.rsp, 16), .rdi) }
        check("mov byte ptr [r12 - 8], dil", [0x41, 0x88, 0x7C, 0x24, 0xF8]) { $0.mov(.s8, .base(.r12, -8), .rdi) }
        check("mov byte ptr [rbp - 16], r8b", [0x44, 0x88, 0x45, 0xF0]) { $0.mov(.s8, .base(.rbp, -16), .r8) }
        check("mov byte ptr [rbx + 127], r8b", [0x44, 0x88, 0x43, 0x7F]) { $0.mov(.s8, .base(.rbx, 127), .r8) }
        check("mov byte ptr [rbx + 128], r8b", [0x44, 0x88, 0x83, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s8, .base(.rbx, 128), .r8) }
        check("mov byte ptr [r15 + 0x12345678], r15b", [0x45, 0x88, 0xBF, 0x78, 0x56, 0x34, 0x12]) { $0.mov(.s8, .base(.r15, 0x12345678), .r15) }
        check("mov byte ptr [rdi - 0x80000000], r15b", [0x44, 0x88, 0xBF, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s8, .base(.rdi, -0x80000000), .r15) }
        check("mov byte ptr [r8 + 0x7fffffff], r15b", [0x45, 0x88, 0xB8, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s8, .base(.r8, 0x7FFFFFFF), .r15) }
        check("mov word ptr [rax], ax", [0x66, 0x89, 0x00]) { $0.mov(.s16, .base(.rax), .rax) }
        check("mov word ptr [rcx + 8], ax", [0x66, 0x89, 0x41, 0x08]) { $0.mov(.s16, .base(.rcx, 8), .rax) }
        check("mov word ptr [rsp], ax", [0x66, 0x89, 0x04, 0x24]) { $0.mov(.s16, .base(.rsp), .rax) }
        check("mov word ptr [r12 - 8], si", [0x66, 0x41, 0x89, 0x74, 0x24, 0xF8]) { $0.mov(.s16, .base(.r12, -8), .rsi) }
        check("mov word ptr [rbp], si", [0x66, 0x89, 0x75, 0x00]) { $0.mov(.s16, .base(.rbp), .rsi) }
        check("mov word ptr [r13], si", [0x66, 0x41, 0x89, 0x75, 0x00]) { $0.mov(.s16, .base(.r13), .rsi) }
        check("mov word ptr [rbx + 128], r9w", [0x66, 0x44, 0x89, 0x8B, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s16, .base(.rbx, 128), .r9) }
        check("mov word ptr [rsi - 128], r9w", [0x66, 0x44, 0x89, 0x4E, 0x80]) { $0.mov(.s16, .base(.rsi, -128), .r9) }
        check("mov word ptr [rsi - 129], r9w", [0x66, 0x44, 0x89, 0x8E, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s16, .base(.rsi, -129), .r9) }
        check("mov word ptr [r8 + 0x7fffffff], bp", [0x66, 0x41, 0x89, 0xA8, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s16, .base(.r8, 0x7FFFFFFF), .rbp) }
        check("mov word ptr [rax + rcx*1], bp", [0x66, 0x89, 0x2C, 0x08]) { $0.mov(.s16, .base(.rax, index: .rcx, scale: 1), .rbp) }
        check("mov word ptr [rdx + rbx*2 + 16], bp", [0x66, 0x89, 0x6C, 0x5A, 0x10]) { $0.mov(.s16, .base(.rdx, index: .rbx, scale: 2, 16), .rbp) }
        check("mov dword ptr [rax], ecx", [0x89, 0x08]) { $0.mov(.s32, .base(.rax), .rcx) }
        check("mov dword ptr [rcx + 8], ecx", [0x89, 0x49, 0x08]) { $0.mov(.s32, .base(.rcx, 8), .rcx) }
        check("mov dword ptr [rsp], ecx", [0x89, 0x0C, 0x24]) { $0.mov(.s32, .base(.rsp), .rcx) }
        check("mov dword ptr [r12 - 8], r12d", [0x45, 0x89, 0x64, 0x24, 0xF8]) { $0.mov(.s32, .base(.r12, -8), .r12) }
        check("mov dword ptr [rbp], r12d", [0x44, 0x89, 0x65, 0x00]) { $0.mov(.s32, .base(.rbp), .r12) }
        check("mov dword ptr [r13], r12d", [0x45, 0x89, 0x65, 0x00]) { $0.mov(.s32, .base(.r13), .r12) }
        check("mov dword ptr [rbx + 128], esp", [0x89, 0xA3, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s32, .base(.rbx, 128), .rsp) }
        check("mov dword ptr [rsi - 128], esp", [0x89, 0x66, 0x80]) { $0.mov(.s32, .base(.rsi, -128), .rsp) }
        check("mov dword ptr [rsi - 129], esp", [0x89, 0xA6, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s32, .base(.rsi, -129), .rsp) }
        check("mov dword ptr [r8 + 0x7fffffff], edi", [0x41, 0x89, 0xB8, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s32, .base(.r8, 0x7FFFFFFF), .rdi) }
        check("mov dword ptr [rax + rcx*1], edi", [0x89, 0x3C, 0x08]) { $0.mov(.s32, .base(.rax, index: .rcx, scale: 1), .rdi) }
        check("mov dword ptr [rdx + rbx*2 + 16], edi", [0x89, 0x7C, 0x5A, 0x10]) { $0.mov(.s32, .base(.rdx, index: .rbx, scale: 2, 16), .rdi) }
        check("mov qword ptr [rax], rdx", [0x48, 0x89, 0x10]) { $0.mov(.s64, .base(.rax), .rdx) }
        check("mov qword ptr [rcx + 8], rdx", [0x48, 0x89, 0x51, 0x08]) { $0.mov(.s64, .base(.rcx, 8), .rdx) }
        check("mov qword ptr [rsp], rdx", [0x48, 0x89, 0x14, 0x24]) { $0.mov(.s64, .base(.rsp), .rdx) }
        check("mov qword ptr [r12 - 8], r13", [0x4D, 0x89, 0x6C, 0x24, 0xF8]) { $0.mov(.s64, .base(.r12, -8), .r13) }
        check("mov qword ptr [rbp], r13", [0x4C, 0x89, 0x6D, 0x00]) { $0.mov(.s64, .base(.rbp), .r13) }
        check("mov qword ptr [r13], r13", [0x4D, 0x89, 0x6D, 0x00]) { $0.mov(.s64, .base(.r13), .r13) }
        check("mov qword ptr [rbx + 128], rsp", [0x48, 0x89, 0xA3, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s64, .base(.rbx, 128), .rsp) }
        check("mov qword ptr [rsi - 128], rsp", [0x48, 0x89, 0x66, 0x80]) { $0.mov(.s64, .base(.rsi, -128), .rsp) }
        check("mov qword ptr [rsi - 129], rsp", [0x48, 0x89, 0xA6, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .base(.rsi, -129), .rsp) }
        check("mov qword ptr [r8 + 0x7fffffff], r8", [0x4D, 0x89, 0x80, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s64, .base(.r8, 0x7FFFFFFF), .r8) }
        check("mov qword ptr [rax + rcx*1], r8", [0x4C, 0x89, 0x04, 0x08]) { $0.mov(.s64, .base(.rax, index: .rcx, scale: 1), .r8) }
        check("mov qword ptr [rdx + rbx*2 + 16], r8", [0x4C, 0x89, 0x44, 0x5A, 0x10]) { $0.mov(.s64, .base(.rdx, index: .rbx, scale: 2, 16), .r8) }
    }

    @Test func movStoreImmediate() {
        check("mov byte ptr [rax], 0", [0xC6, 0x00, 0x00]) { $0.mov(.s8, .base(.rax), imm: 0) }
        check("mov byte ptr [r12], -1", [0x41, 0xC6, 0x04, 0x24, 0xFF]) { $0.mov(.s8, .base(.r12), imm: -1) }
        check("mov byte ptr [r13 + 4], 127", [0x41, 0xC6, 0x45, 0x04, 0x7F]) { $0.mov(.s8, .base(.r13, 4), imm: 127) }
        check("mov byte ptr [rsp + 4096], -128", [0xC6, 0x84, 0x24, 0x00, 0x10, 0x00, 0x00, 0x80]) { $0.mov(.s8, .base(.rsp, 4096), imm: -128) }
        check("mov byte ptr [rdx + r8*8 - 4], 255", [0x42, 0xC6, 0x44, 0xC2, 0xFC, 0xFF]) { $0.mov(.s8, .base(.rdx, index: .r8, scale: 8, -4), imm: 255) }
        check("mov word ptr [rax], 0", [0x66, 0xC7, 0x00, 0x00, 0x00]) { $0.mov(.s16, .base(.rax), imm: 0) }
        check("mov word ptr [r12], -1", [0x66, 0x41, 0xC7, 0x04, 0x24, 0xFF, 0xFF]) { $0.mov(.s16, .base(.r12), imm: -1) }
        check("mov word ptr [r13 + 4], 0x1234", [0x66, 0x41, 0xC7, 0x45, 0x04, 0x34, 0x12]) { $0.mov(.s16, .base(.r13, 4), imm: 0x1234) }
        check("mov word ptr [rsp + 4096], -0x8000", [0x66, 0xC7, 0x84, 0x24, 0x00, 0x10, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s16, .base(.rsp, 4096), imm: -0x8000) }
        check("mov word ptr [rdx + r8*8 - 4], 0xffff", [0x66, 0x42, 0xC7, 0x44, 0xC2, 0xFC, 0xFF, 0xFF]) { $0.mov(.s16, .base(.rdx, index: .r8, scale: 8, -4), imm: 0xFFFF) }
        check("mov dword ptr [rax], 0", [0xC7, 0x00, 0x00, 0x00, 0x00, 0x00]) { $0.mov(.s32, .base(.rax), imm: 0) }
        check("mov dword ptr [r12], -1", [0x41, 0xC7, 0x04, 0x24, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.mov(.s32, .base(.r12), imm: -1) }
        check("mov dword ptr [r13 + 4], 127", [0x41, 0xC7, 0x45, 0x04, 0x7F, 0x00, 0x00, 0x00]) { $0.mov(.s32, .base(.r13, 4), imm: 127) }
        check("mov dword ptr [rsp + 4096], 128", [0xC7, 0x84, 0x24, 0x00, 0x10, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00]) { $0.mov(.s32, .base(.rsp, 4096), imm: 128) }
        check("mov dword ptr [rdx + r8*8 - 4], 0x7fffffff", [0x42, 0xC7, 0x44, 0xC2, 0xFC, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.mov(.s32, .base(.rdx, index: .r8, scale: 8, -4), imm: 0x7FFFFFFF) }
        check("mov dword ptr [rbx*4 + 16], -0x80000000", [0xC7, 0x04, 0x9D, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s32, .index(.rbx, scale: 4, 16), imm: -0x80000000) }
        check("mov qword ptr [rax], 0", [0x48, 0xC7, 0x00, 0x00, 0x00, 0x00, 0x00]) { $0.mov(.s64, .base(.rax), imm: 0) }
        check("mov qword ptr [r12], -1", [0x49, 0xC7, 0x04, 0x24, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.mov(.s64, .base(.r12), imm: -1) }
        check("mov qword ptr [r13 + 4], 0x12345678", [0x49, 0xC7, 0x45, 0x04, 0x78, 0x56, 0x34, 0x12]) { $0.mov(.s64, .base(.r13, 4), imm: 0x12345678) }
        check("mov qword ptr [rsp + 4096], -0x80000000", [0x48, 0xC7, 0x84, 0x24, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]) { $0.mov(.s64, .base(.rsp, 4096), imm: -0x80000000) }
    }

    @Test func extendingLoads() {
        check("movzx eax, byte ptr [rax]", [0x0F, 0xB6, 0x00]) { $0.movzx(.rax, byte: .base(.rax)) }
        check("movzx eax, word ptr [rax]", [0x0F, 0xB7, 0x00]) { $0.movzx(.rax, word: .base(.rax)) }
        check("movsx eax, byte ptr [rax]", [0x0F, 0xBE, 0x00]) { $0.movsx(.s32, .rax, byte: .base(.rax)) }
        check("movsx eax, word ptr [rax]", [0x0F, 0xBF, 0x00]) { $0.movsx(.s32, .rax, word: .base(.rax)) }
        check("movsx rax, byte ptr [rax]", [0x48, 0x0F, 0xBE, 0x00]) { $0.movsx(.s64, .rax, byte: .base(.rax)) }
        check("movsx rax, word ptr [rax]", [0x48, 0x0F, 0xBF, 0x00]) { $0.movsx(.s64, .rax, word: .base(.rax)) }
        check("movsxd rax, dword ptr [rax]", [0x48, 0x63, 0x00]) { $0.movsxd(.rax, .base(.rax)) }
        check("movzx r8d, byte ptr [r12 + 8]", [0x45, 0x0F, 0xB6, 0x44, 0x24, 0x08]) { $0.movzx(.r8, byte: .base(.r12, 8)) }
        check("movzx r8d, word ptr [r12 + 8]", [0x45, 0x0F, 0xB7, 0x44, 0x24, 0x08]) { $0.movzx(.r8, word: .base(.r12, 8)) }
        check("movsx r8d, byte ptr [r12 + 8]", [0x45, 0x0F, 0xBE, 0x44, 0x24, 0x08]) { $0.movsx(.s32, .r8, byte: .base(.r12, 8)) }
        check("movsx r8d, word ptr [r12 + 8]", [0x45, 0x0F, 0xBF, 0x44, 0x24, 0x08]) { $0.movsx(.s32, .r8, word: .base(.r12, 8)) }
        check("movsx r8, byte ptr [r12 + 8]", [0x4D, 0x0F, 0xBE, 0x44, 0x24, 0x08]) { $0.movsx(.s64, .r8, byte: .base(.r12, 8)) }
        check("movsx r8, word ptr [r12 + 8]", [0x4D, 0x0F, 0xBF, 0x44, 0x24, 0x08]) { $0.movsx(.s64, .r8, word: .base(.r12, 8)) }
        check("movsxd r8, dword ptr [r12 + 8]", [0x4D, 0x63, 0x44, 0x24, 0x08]) { $0.movsxd(.r8, .base(.r12, 8)) }
        check("movzx esp, byte ptr [r13]", [0x41, 0x0F, 0xB6, 0x65, 0x00]) { $0.movzx(.rsp, byte: .base(.r13)) }
        check("movzx esp, word ptr [r13]", [0x41, 0x0F, 0xB7, 0x65, 0x00]) { $0.movzx(.rsp, word: .base(.r13)) }
        check("movsx esp, byte ptr [r13]", [0x41, 0x0F, 0xBE, 0x65, 0x00]) { $0.movsx(.s32, .rsp, byte: .base(.r13)) }
        check("movsx esp, word ptr [r13]", [0x41, 0x0F, 0xBF, 0x65, 0x00]) { $0.movsx(.s32, .rsp, word: .base(.r13)) }
        check("movsx rsp, byte ptr [r13]", [0x49, 0x0F, 0xBE, 0x65, 0x00]) { $0.movsx(.s64, .rsp, byte: .base(.r13)) }
        check("movsx rsp, word ptr [r13]", [0x49, 0x0F, 0xBF, 0x65, 0x00]) { $0.movsx(.s64, .rsp, word: .base(.r13)) }
        check("movsxd rsp, dword ptr [r13]", [0x49, 0x63, 0x65, 0x00]) { $0.movsxd(.rsp, .base(.r13)) }
        check("movzx r15d, byte ptr [rbp - 129]", [0x44, 0x0F, 0xB6, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movzx(.r15, byte: .base(.rbp, -129)) }
        check("movzx r15d, word ptr [rbp - 129]", [0x44, 0x0F, 0xB7, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movzx(.r15, word: .base(.rbp, -129)) }
        check("movsx r15d, byte ptr [rbp - 129]", [0x44, 0x0F, 0xBE, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movsx(.s32, .r15, byte: .base(.rbp, -129)) }
        check("movsx r15d, word ptr [rbp - 129]", [0x44, 0x0F, 0xBF, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movsx(.s32, .r15, word: .base(.rbp, -129)) }
        check("movsx r15, byte ptr [rbp - 129]", [0x4C, 0x0F, 0xBE, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movsx(.s64, .r15, byte: .base(.rbp, -129)) }
        check("movsx r15, word ptr [rbp - 129]", [0x4C, 0x0F, 0xBF, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movsx(.s64, .r15, word: .base(.rbp, -129)) }
        check("movsxd r15, dword ptr [rbp - 129]", [0x4C, 0x63, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movsxd(.r15, .base(.rbp, -129)) }
        check("movzx edi, byte ptr [rsp + r9*4 + 127]", [0x42, 0x0F, 0xB6, 0x7C, 0x8C, 0x7F]) { $0.movzx(.rdi, byte: .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movzx edi, word ptr [rsp + r9*4 + 127]", [0x42, 0x0F, 0xB7, 0x7C, 0x8C, 0x7F]) { $0.movzx(.rdi, word: .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movsx edi, byte ptr [rsp + r9*4 + 127]", [0x42, 0x0F, 0xBE, 0x7C, 0x8C, 0x7F]) { $0.movsx(.s32, .rdi, byte: .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movsx edi, word ptr [rsp + r9*4 + 127]", [0x42, 0x0F, 0xBF, 0x7C, 0x8C, 0x7F]) { $0.movsx(.s32, .rdi, word: .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movsx rdi, byte ptr [rsp + r9*4 + 127]", [0x4A, 0x0F, 0xBE, 0x7C, 0x8C, 0x7F]) { $0.movsx(.s64, .rdi, byte: .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movsx rdi, word ptr [rsp + r9*4 + 127]", [0x4A, 0x0F, 0xBF, 0x7C, 0x8C, 0x7F]) { $0.movsx(.s64, .rdi, word: .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movsxd rdi, dword ptr [rsp + r9*4 + 127]", [0x4A, 0x63, 0x7C, 0x8C, 0x7F]) { $0.movsxd(.rdi, .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movzx ebp, byte ptr [rdx*2 + 256]", [0x0F, 0xB6, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movzx(.rbp, byte: .index(.rdx, scale: 2, 256)) }
        check("movzx ebp, word ptr [rdx*2 + 256]", [0x0F, 0xB7, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movzx(.rbp, word: .index(.rdx, scale: 2, 256)) }
        check("movsx ebp, byte ptr [rdx*2 + 256]", [0x0F, 0xBE, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movsx(.s32, .rbp, byte: .index(.rdx, scale: 2, 256)) }
        check("movsx ebp, word ptr [rdx*2 + 256]", [0x0F, 0xBF, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movsx(.s32, .rbp, word: .index(.rdx, scale: 2, 256)) }
        check("movsx rbp, byte ptr [rdx*2 + 256]", [0x48, 0x0F, 0xBE, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movsx(.s64, .rbp, byte: .index(.rdx, scale: 2, 256)) }
        check("movsx rbp, word ptr [rdx*2 + 256]", [0x48, 0x0F, 0xBF, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movsx(.s64, .rbp, word: .index(.rdx, scale: 2, 256)) }
        check("movsxd rbp, dword ptr [rdx*2 + 256]", [0x48, 0x63, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movsxd(.rbp, .index(.rdx, scale: 2, 256)) }
    }

    @Test func extendingRegisterMoves() {
        check("movzx eax, cl", [0x0F, 0xB6, 0xC1]) { $0.movzx(.rax, byte: .rcx) }
        check("movzx eax, cx", [0x0F, 0xB7, 0xC1]) { $0.movzx(.rax, word: .rcx) }
        check("movsx eax, cl", [0x0F, 0xBE, 0xC1]) { $0.movsx(.s32, .rax, byte: .rcx) }
        check("movsx eax, cx", [0x0F, 0xBF, 0xC1]) { $0.movsx(.s32, .rax, word: .rcx) }
        check("movsx rax, cl", [0x48, 0x0F, 0xBE, 0xC1]) { $0.movsx(.s64, .rax, byte: .rcx) }
        check("movsx rax, cx", [0x48, 0x0F, 0xBF, 0xC1]) { $0.movsx(.s64, .rax, word: .rcx) }
        check("movsxd rax, ecx", [0x48, 0x63, 0xC1]) { $0.movsxd(.rax, .rcx) }
        check("movzx eax, spl", [0x40, 0x0F, 0xB6, 0xC4]) { $0.movzx(.rax, byte: .rsp) }
        check("movzx eax, sp", [0x0F, 0xB7, 0xC4]) { $0.movzx(.rax, word: .rsp) }
        check("movsx eax, spl", [0x40, 0x0F, 0xBE, 0xC4]) { $0.movsx(.s32, .rax, byte: .rsp) }
        check("movsx eax, sp", [0x0F, 0xBF, 0xC4]) { $0.movsx(.s32, .rax, word: .rsp) }
        check("movsx rax, spl", [0x48, 0x0F, 0xBE, 0xC4]) { $0.movsx(.s64, .rax, byte: .rsp) }
        check("movsx rax, sp", [0x48, 0x0F, 0xBF, 0xC4]) { $0.movsx(.s64, .rax, word: .rsp) }
        check("movsxd rax, esp", [0x48, 0x63, 0xC4]) { $0.movsxd(.rax, .rsp) }
        check("movzx ecx, bpl", [0x40, 0x0F, 0xB6, 0xCD]) { $0.movzx(.rcx, byte: .rbp) }
        check("movzx ecx, bp", [0x0F, 0xB7, 0xCD]) { $0.movzx(.rcx, word: .rbp) }
        check("movsx ecx, bpl", [0x40, 0x0F, 0xBE, 0xCD]) { $0.movsx(.s32, .rcx, byte: .rbp) }
        check("movsx ecx, bp", [0x0F, 0xBF, 0xCD]) { $0.movsx(.s32, .rcx, word: .rbp) }
        check("movsx rcx, bpl", [0x48, 0x0F, 0xBE, 0xCD]) { $0.movsx(.s64, .rcx, byte: .rbp) }
        check("movsx rcx, bp", [0x48, 0x0F, 0xBF, 0xCD]) { $0.movsx(.s64, .rcx, word: .rbp) }
        check("movsxd rcx, ebp", [0x48, 0x63, 0xCD]) { $0.movsxd(.rcx, .rbp) }
        check("movzx edx, sil", [0x40, 0x0F, 0xB6, 0xD6]) { $0.movzx(.rdx, byte: .rsi) }
        check("movzx edx, si", [0x0F, 0xB7, 0xD6]) { $0.movzx(.rdx, word: .rsi) }
        check("movsx edx, sil", [0x40, 0x0F, 0xBE, 0xD6]) { $0.movsx(.s32, .rdx, byte: .rsi) }
        check("movsx edx, si", [0x0F, 0xBF, 0xD6]) { $0.movsx(.s32, .rdx, word: .rsi) }
        check("movsx rdx, sil", [0x48, 0x0F, 0xBE, 0xD6]) { $0.movsx(.s64, .rdx, byte: .rsi) }
        check("movsx rdx, si", [0x48, 0x0F, 0xBF, 0xD6]) { $0.movsx(.s64, .rdx, word: .rsi) }
        check("movsxd rdx, esi", [0x48, 0x63, 0xD6]) { $0.movsxd(.rdx, .rsi) }
        check("movzx ebx, dil", [0x40, 0x0F, 0xB6, 0xDF]) { $0.movzx(.rbx, byte: .rdi) }
        check("movzx ebx, di", [0x0F, 0xB7, 0xDF]) { $0.movzx(.rbx, word: .rdi) }
        check("movsx ebx, dil", [0x40, 0x0F, 0xBE, 0xDF]) { $0.movsx(.s32, .rbx, byte: .rdi) }
        check("movsx ebx, di", [0x0F, 0xBF, 0xDF]) { $0.movsx(.s32, .rbx, word: .rdi) }
        check("movsx rbx, dil", [0x48, 0x0F, 0xBE, 0xDF]) { $0.movsx(.s64, .rbx, byte: .rdi) }
        check("movsx rbx, di", [0x48, 0x0F, 0xBF, 0xDF]) { $0.movsx(.s64, .rbx, word: .rdi) }
        check("movsxd rbx, edi", [0x48, 0x63, 0xDF]) { $0.movsxd(.rbx, .rdi) }
        check("movzx r8d, al", [0x44, 0x0F, 0xB6, 0xC0]) { $0.movzx(.r8, byte: .rax) }
        check("movzx r8d, ax", [0x44, 0x0F, 0xB7, 0xC0]) { $0.movzx(.r8, word: .rax) }
        check("movsx r8d, al", [0x44, 0x0F, 0xBE, 0xC0]) { $0.movsx(.s32, .r8, byte: .rax) }
        check("movsx r8d, ax", [0x44, 0x0F, 0xBF, 0xC0]) { $0.movsx(.s32, .r8, word: .rax) }
        check("movsx r8, al", [0x4C, 0x0F, 0xBE, 0xC0]) { $0.movsx(.s64, .r8, byte: .rax) }
        check("movsx r8, ax", [0x4C, 0x0F, 0xBF, 0xC0]) { $0.movsx(.s64, .r8, word: .rax) }
        check("movsxd r8, eax", [0x4C, 0x63, 0xC0]) { $0.movsxd(.r8, .rax) }
        check("movzx eax, r8b", [0x41, 0x0F, 0xB6, 0xC0]) { $0.movzx(.rax, byte: .r8) }
        check("movzx eax, r8w", [0x41, 0x0F, 0xB7, 0xC0]) { $0.movzx(.rax, word: .r8) }
        check("movsx eax, r8b", [0x41, 0x0F, 0xBE, 0xC0]) { $0.movsx(.s32, .rax, byte: .r8) }
        check("movsx eax, r8w", [0x41, 0x0F, 0xBF, 0xC0]) { $0.movsx(.s32, .rax, word: .r8) }
        check("movsx rax, r8b", [0x49, 0x0F, 0xBE, 0xC0]) { $0.movsx(.s64, .rax, byte: .r8) }
        check("movsx rax, r8w", [0x49, 0x0F, 0xBF, 0xC0]) { $0.movsx(.s64, .rax, word: .r8) }
        check("movsxd rax, r8d", [0x49, 0x63, 0xC0]) { $0.movsxd(.rax, .r8) }
        check("movzx r15d, r14b", [0x45, 0x0F, 0xB6, 0xFE]) { $0.movzx(.r15, byte: .r14) }
        check("movzx r15d, r14w", [0x45, 0x0F, 0xB7, 0xFE]) { $0.movzx(.r15, word: .r14) }
        check("movsx r15d, r14b", [0x45, 0x0F, 0xBE, 0xFE]) { $0.movsx(.s32, .r15, byte: .r14) }
        check("movsx r15d, r14w", [0x45, 0x0F, 0xBF, 0xFE]) { $0.movsx(.s32, .r15, word: .r14) }
        check("movsx r15, r14b", [0x4D, 0x0F, 0xBE, 0xFE]) { $0.movsx(.s64, .r15, byte: .r14) }
        check("movsx r15, r14w", [0x4D, 0x0F, 0xBF, 0xFE]) { $0.movsx(.s64, .r15, word: .r14) }
        check("movsxd r15, r14d", [0x4D, 0x63, 0xFE]) { $0.movsxd(.r15, .r14) }
        check("movzx esi, bl", [0x0F, 0xB6, 0xF3]) { $0.movzx(.rsi, byte: .rbx) }
        check("movzx esi, bx", [0x0F, 0xB7, 0xF3]) { $0.movzx(.rsi, word: .rbx) }
        check("movsx esi, bl", [0x0F, 0xBE, 0xF3]) { $0.movsx(.s32, .rsi, byte: .rbx) }
        check("movsx esi, bx", [0x0F, 0xBF, 0xF3]) { $0.movsx(.s32, .rsi, word: .rbx) }
        check("movsx rsi, bl", [0x48, 0x0F, 0xBE, 0xF3]) { $0.movsx(.s64, .rsi, byte: .rbx) }
        check("movsx rsi, bx", [0x48, 0x0F, 0xBF, 0xF3]) { $0.movsx(.s64, .rsi, word: .rbx) }
        check("movsxd rsi, ebx", [0x48, 0x63, 0xF3]) { $0.movsxd(.rsi, .rbx) }
        check("movzx r12d, dil", [0x44, 0x0F, 0xB6, 0xE7]) { $0.movzx(.r12, byte: .rdi) }
        check("movzx r12d, di", [0x44, 0x0F, 0xB7, 0xE7]) { $0.movzx(.r12, word: .rdi) }
        check("movsx r12d, dil", [0x44, 0x0F, 0xBE, 0xE7]) { $0.movsx(.s32, .r12, byte: .rdi) }
        check("movsx r12d, di", [0x44, 0x0F, 0xBF, 0xE7]) { $0.movsx(.s32, .r12, word: .rdi) }
        check("movsx r12, dil", [0x4C, 0x0F, 0xBE, 0xE7]) { $0.movsx(.s64, .r12, byte: .rdi) }
        check("movsx r12, di", [0x4C, 0x0F, 0xBF, 0xE7]) { $0.movsx(.s64, .r12, word: .rdi) }
        check("movsxd r12, edi", [0x4C, 0x63, 0xE7]) { $0.movsxd(.r12, .rdi) }
    }

    @Test func lea() {
        check("lea eax, [rax]", [0x8D, 0x00]) { $0.lea(.s32, .rax, .base(.rax)) }
        check("lea rbx, [rcx + 8]", [0x48, 0x8D, 0x59, 0x08]) { $0.lea(.s64, .rbx, .base(.rcx, 8)) }
        check("lea rsi, [rsp]", [0x48, 0x8D, 0x34, 0x24]) { $0.lea(.s64, .rsi, .base(.rsp)) }
        check("lea r9d, [r12]", [0x45, 0x8D, 0x0C, 0x24]) { $0.lea(.s32, .r9, .base(.r12)) }
        check("lea r12, [rsp + 16]", [0x4C, 0x8D, 0x64, 0x24, 0x10]) { $0.lea(.s64, .r12, .base(.rsp, 16)) }
        check("lea r15, [r12 - 8]", [0x4D, 0x8D, 0x7C, 0x24, 0xF8]) { $0.lea(.s64, .r15, .base(.r12, -8)) }
        check("lea edx, [rbp]", [0x8D, 0x55, 0x00]) { $0.lea(.s32, .rdx, .base(.rbp)) }
        check("lea rbp, [r13]", [0x49, 0x8D, 0x6D, 0x00]) { $0.lea(.s64, .rbp, .base(.r13)) }
        check("lea r8, [rbp - 16]", [0x4C, 0x8D, 0x45, 0xF0]) { $0.lea(.s64, .r8, .base(.rbp, -16)) }
        check("lea r11d, [rbx + 127]", [0x44, 0x8D, 0x5B, 0x7F]) { $0.lea(.s32, .r11, .base(.rbx, 127)) }
        check("lea r14, [rbx + 128]", [0x4C, 0x8D, 0xB3, 0x80, 0x00, 0x00, 0x00]) { $0.lea(.s64, .r14, .base(.rbx, 128)) }
        check("lea rcx, [rsi - 128]", [0x48, 0x8D, 0x4E, 0x80]) { $0.lea(.s64, .rcx, .base(.rsi, -128)) }
        check("lea esp, [rsi - 129]", [0x8D, 0xA6, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.lea(.s32, .rsp, .base(.rsi, -129)) }
        check("lea rdi, [r15 + 0x12345678]", [0x49, 0x8D, 0xBF, 0x78, 0x56, 0x34, 0x12]) { $0.lea(.s64, .rdi, .base(.r15, 0x12345678)) }
        check("lea r10, [rdi - 0x80000000]", [0x4C, 0x8D, 0x97, 0x00, 0x00, 0x00, 0x80]) { $0.lea(.s64, .r10, .base(.rdi, -0x80000000)) }
        check("lea r13d, [r8 + 0x7fffffff]", [0x45, 0x8D, 0xA8, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.lea(.s32, .r13, .base(.r8, 0x7FFFFFFF)) }
        check("lea rax, [rax + rcx*1]", [0x48, 0x8D, 0x04, 0x08]) { $0.lea(.s64, .rax, .base(.rax, index: .rcx, scale: 1)) }
        check("lea rbx, [rdx + rbx*2 + 16]", [0x48, 0x8D, 0x5C, 0x5A, 0x10]) { $0.lea(.s64, .rbx, .base(.rdx, index: .rbx, scale: 2, 16)) }
        check("lea esi, [rbp + rsi*4]", [0x8D, 0x74, 0xB5, 0x00]) { $0.lea(.s32, .rsi, .base(.rbp, index: .rsi, scale: 4)) }
        check("lea r9, [r13 + r14*8 - 8]", [0x4F, 0x8D, 0x4C, 0xF5, 0xF8]) { $0.lea(.s64, .r9, .base(.r13, index: .r14, scale: 8, -8)) }
        check("lea r12, [rsp + r12*1 + 200]", [0x4E, 0x8D, 0xA4, 0x24, 0xC8, 0x00, 0x00, 0x00]) { $0.lea(.s64, .r12, .base(.rsp, index: .r12, scale: 1, 200)) }
        check("lea r15d, [r12 + rbp*4]", [0x45, 0x8D, 0x3C, 0xAC]) { $0.lea(.s32, .r15, .base(.r12, index: .rbp, scale: 4)) }
        check("lea rdx, [r9 + r10*2 + 1000]", [0x4B, 0x8D, 0x94, 0x51, 0xE8, 0x03, 0x00, 0x00]) { $0.lea(.s64, .rdx, .base(.r9, index: .r10, scale: 2, 1000)) }
        check("lea rbp, [rcx + r15*8 - 129]", [0x4A, 0x8D, 0xAC, 0xF9, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.lea(.s64, .rbp, .base(.rcx, index: .r15, scale: 8, -129)) }
        check("lea r8d, [rcx*8 + 64]", [0x44, 0x8D, 0x04, 0xCD, 0x40, 0x00, 0x00, 0x00]) { $0.lea(.s32, .r8, .index(.rcx, scale: 8, 64)) }
        check("lea r11, [r11*4]", [0x4E, 0x8D, 0x1C, 0x9D, 0x00, 0x00, 0x00, 0x00]) { $0.lea(.s64, .r11, .index(.r11, scale: 4)) }
    }

    @Test func aluRegisterRegister() {
        check("add eax, ecx", [0x01, 0xC8]) { $0.add(.s32, .rax, .rcx) }
        check("add r9d, edx", [0x41, 0x01, 0xD1]) { $0.add(.s32, .r9, .rdx) }
        check("add esp, r15d", [0x44, 0x01, 0xFC]) { $0.add(.s32, .rsp, .r15) }
        check("add rax, rcx", [0x48, 0x01, 0xC8]) { $0.add(.s64, .rax, .rcx) }
        check("add r9, rdx", [0x49, 0x01, 0xD1]) { $0.add(.s64, .r9, .rdx) }
        check("add rsp, r15", [0x4C, 0x01, 0xFC]) { $0.add(.s64, .rsp, .r15) }
        check("or eax, ecx", [0x09, 0xC8]) { $0.or(.s32, .rax, .rcx) }
        check("or r9d, edx", [0x41, 0x09, 0xD1]) { $0.or(.s32, .r9, .rdx) }
        check("or esp, r15d", [0x44, 0x09, 0xFC]) { $0.or(.s32, .rsp, .r15) }
        check("or rax, rcx", [0x48, 0x09, 0xC8]) { $0.or(.s64, .rax, .rcx) }
        check("or r9, rdx", [0x49, 0x09, 0xD1]) { $0.or(.s64, .r9, .rdx) }
        check("or rsp, r15", [0x4C, 0x09, 0xFC]) { $0.or(.s64, .rsp, .r15) }
        check("adc eax, ecx", [0x11, 0xC8]) { $0.adc(.s32, .rax, .rcx) }
        check("adc r9d, edx", [0x41, 0x11, 0xD1]) { $0.adc(.s32, .r9, .rdx) }
        check("adc esp, r15d", [0x44, 0x11, 0xFC]) { $0.adc(.s32, .rsp, .r15) }
        check("adc rax, rcx", [0x48, 0x11, 0xC8]) { $0.adc(.s64, .rax, .rcx) }
        check("adc r9, rdx", [0x49, 0x11, 0xD1]) { $0.adc(.s64, .r9, .rdx) }
        check("adc rsp, r15", [0x4C, 0x11, 0xFC]) { $0.adc(.s64, .rsp, .r15) }
        check("sbb eax, ecx", [0x19, 0xC8]) { $0.sbb(.s32, .rax, .rcx) }
        check("sbb r9d, edx", [0x41, 0x19, 0xD1]) { $0.sbb(.s32, .r9, .rdx) }
        check("sbb esp, r15d", [0x44, 0x19, 0xFC]) { $0.sbb(.s32, .rsp, .r15) }
        check("sbb rax, rcx", [0x48, 0x19, 0xC8]) { $0.sbb(.s64, .rax, .rcx) }
        check("sbb r9, rdx", [0x49, 0x19, 0xD1]) { $0.sbb(.s64, .r9, .rdx) }
        check("sbb rsp, r15", [0x4C, 0x19, 0xFC]) { $0.sbb(.s64, .rsp, .r15) }
        check("and eax, ecx", [0x21, 0xC8]) { $0.and(.s32, .rax, .rcx) }
        check("and r9d, edx", [0x41, 0x21, 0xD1]) { $0.and(.s32, .r9, .rdx) }
        check("and esp, r15d", [0x44, 0x21, 0xFC]) { $0.and(.s32, .rsp, .r15) }
        check("and rax, rcx", [0x48, 0x21, 0xC8]) { $0.and(.s64, .rax, .rcx) }
        check("and r9, rdx", [0x49, 0x21, 0xD1]) { $0.and(.s64, .r9, .rdx) }
        check("and rsp, r15", [0x4C, 0x21, 0xFC]) { $0.and(.s64, .rsp, .r15) }
        check("sub eax, ecx", [0x29, 0xC8]) { $0.sub(.s32, .rax, .rcx) }
        check("sub r9d, edx", [0x41, 0x29, 0xD1]) { $0.sub(.s32, .r9, .rdx) }
        check("sub esp, r15d", [0x44, 0x29, 0xFC]) { $0.sub(.s32, .rsp, .r15) }
        check("sub rax, rcx", [0x48, 0x29, 0xC8]) { $0.sub(.s64, .rax, .rcx) }
        check("sub r9, rdx", [0x49, 0x29, 0xD1]) { $0.sub(.s64, .r9, .rdx) }
        check("sub rsp, r15", [0x4C, 0x29, 0xFC]) { $0.sub(.s64, .rsp, .r15) }
        check("xor eax, ecx", [0x31, 0xC8]) { $0.xor(.s32, .rax, .rcx) }
        check("xor r9d, edx", [0x41, 0x31, 0xD1]) { $0.xor(.s32, .r9, .rdx) }
        check("xor esp, r15d", [0x44, 0x31, 0xFC]) { $0.xor(.s32, .rsp, .r15) }
        check("xor rax, rcx", [0x48, 0x31, 0xC8]) { $0.xor(.s64, .rax, .rcx) }
        check("xor r9, rdx", [0x49, 0x31, 0xD1]) { $0.xor(.s64, .r9, .rdx) }
        check("xor rsp, r15", [0x4C, 0x31, 0xFC]) { $0.xor(.s64, .rsp, .r15) }
        check("cmp eax, ecx", [0x39, 0xC8]) { $0.cmp(.s32, .rax, .rcx) }
        check("cmp r9d, edx", [0x41, 0x39, 0xD1]) { $0.cmp(.s32, .r9, .rdx) }
        check("cmp esp, r15d", [0x44, 0x39, 0xFC]) { $0.cmp(.s32, .rsp, .r15) }
        check("cmp rax, rcx", [0x48, 0x39, 0xC8]) { $0.cmp(.s64, .rax, .rcx) }
        check("cmp r9, rdx", [0x49, 0x39, 0xD1]) { $0.cmp(.s64, .r9, .rdx) }
        check("cmp rsp, r15", [0x4C, 0x39, 0xFC]) { $0.cmp(.s64, .rsp, .r15) }
    }

    @Test func aluImmediate() {
        check("add eax, 1", [0x83, 0xC0, 0x01]) { $0.add(.s32, .rax, imm: 1) }
        check("add ecx, 127", [0x83, 0xC1, 0x7F]) { $0.add(.s32, .rcx, imm: 127) }
        check("add edx, 128", [0x81, 0xC2, 0x80, 0x00, 0x00, 0x00]) { $0.add(.s32, .rdx, imm: 128) }
        check("add eax, 128", [0x05, 0x80, 0x00, 0x00, 0x00]) { $0.add(.s32, .rax, imm: 128) }
        check("add r13d, -128", [0x41, 0x83, 0xC5, 0x80]) { $0.add(.s32, .r13, imm: -128) }
        check("add r8d, -129", [0x41, 0x81, 0xC0, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.add(.s32, .r8, imm: -129) }
        check("add eax, -129", [0x05, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.add(.s32, .rax, imm: -129) }
        check("add esp, 0x12345678", [0x81, 0xC4, 0x78, 0x56, 0x34, 0x12]) { $0.add(.s32, .rsp, imm: 0x12345678) }
        check("add eax, -1", [0x83, 0xC0, 0xFF]) { $0.add(.s32, .rax, imm: -1) }
        check("add r15d, -0x80000000", [0x41, 0x81, 0xC7, 0x00, 0x00, 0x00, 0x80]) { $0.add(.s32, .r15, imm: -0x80000000) }
        check("add ebx, 0", [0x83, 0xC3, 0x00]) { $0.add(.s32, .rbx, imm: 0) }
        check("add rax, 1", [0x48, 0x83, 0xC0, 0x01]) { $0.add(.s64, .rax, imm: 1) }
        check("add rcx, 127", [0x48, 0x83, 0xC1, 0x7F]) { $0.add(.s64, .rcx, imm: 127) }
        check("add rdx, 128", [0x48, 0x81, 0xC2, 0x80, 0x00, 0x00, 0x00]) { $0.add(.s64, .rdx, imm: 128) }
        check("add rax, 128", [0x48, 0x05, 0x80, 0x00, 0x00, 0x00]) { $0.add(.s64, .rax, imm: 128) }
        check("add r13, -128", [0x49, 0x83, 0xC5, 0x80]) { $0.add(.s64, .r13, imm: -128) }
        check("add r8, -129", [0x49, 0x81, 0xC0, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.add(.s64, .r8, imm: -129) }
        check("add rax, -129", [0x48, 0x05, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.add(.s64, .rax, imm: -129) }
        check("add rsp, 0x12345678", [0x48, 0x81, 0xC4, 0x78, 0x56, 0x34, 0x12]) { $0.add(.s64, .rsp, imm: 0x12345678) }
        check("add rax, -1", [0x48, 0x83, 0xC0, 0xFF]) { $0.add(.s64, .rax, imm: -1) }
        check("add r15, -0x80000000", [0x49, 0x81, 0xC7, 0x00, 0x00, 0x00, 0x80]) { $0.add(.s64, .r15, imm: -0x80000000) }
        check("add rbx, 0", [0x48, 0x83, 0xC3, 0x00]) { $0.add(.s64, .rbx, imm: 0) }
        check("or eax, 1", [0x83, 0xC8, 0x01]) { $0.or(.s32, .rax, imm: 1) }
        check("or ecx, 127", [0x83, 0xC9, 0x7F]) { $0.or(.s32, .rcx, imm: 127) }
        check("or edx, 128", [0x81, 0xCA, 0x80, 0x00, 0x00, 0x00]) { $0.or(.s32, .rdx, imm: 128) }
        check("or eax, 128", [0x0D, 0x80, 0x00, 0x00, 0x00]) { $0.or(.s32, .rax, imm: 128) }
        check("or r13d, -128", [0x41, 0x83, 0xCD, 0x80]) { $0.or(.s32, .r13, imm: -128) }
        check("or r8d, -129", [0x41, 0x81, 0xC8, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.or(.s32, .r8, imm: -129) }
        check("or eax, -129", [0x0D, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.or(.s32, .rax, imm: -129) }
        check("or esp, 0x12345678", [0x81, 0xCC, 0x78, 0x56, 0x34, 0x12]) { $0.or(.s32, .rsp, imm: 0x12345678) }
        check("or eax, -1", [0x83, 0xC8, 0xFF]) { $0.or(.s32, .rax, imm: -1) }
        check("or r15d, -0x80000000", [0x41, 0x81, 0xCF, 0x00, 0x00, 0x00, 0x80]) { $0.or(.s32, .r15, imm: -0x80000000) }
        check("or ebx, 0", [0x83, 0xCB, 0x00]) { $0.or(.s32, .rbx, imm: 0) }
        check("or rax, 1", [0x48, 0x83, 0xC8, 0x01]) { $0.or(.s64, .rax, imm: 1) }
        check("or rcx, 127", [0x48, 0x83, 0xC9, 0x7F]) { $0.or(.s64, .rcx, imm: 127) }
        check("or rdx, 128", [0x48, 0x81, 0xCA, 0x80, 0x00, 0x00, 0x00]) { $0.or(.s64, .rdx, imm: 128) }
        check("or rax, 128", [0x48, 0x0D, 0x80, 0x00, 0x00, 0x00]) { $0.or(.s64, .rax, imm: 128) }
        check("or r13, -128", [0x49, 0x83, 0xCD, 0x80]) { $0.or(.s64, .r13, imm: -128) }
        check("or r8, -129", [0x49, 0x81, 0xC8, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.or(.s64, .r8, imm: -129) }
        check("or rax, -129", [0x48, 0x0D, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.or(.s64, .rax, imm: -129) }
        check("or rsp, 0x12345678", [0x48, 0x81, 0xCC, 0x78, 0x56, 0x34, 0x12]) { $0.or(.s64, .rsp, imm: 0x12345678) }
        check("or rax, -1", [0x48, 0x83, 0xC8, 0xFF]) { $0.or(.s64, .rax, imm: -1) }
        check("or r15, -0x80000000", [0x49, 0x81, 0xCF, 0x00, 0x00, 0x00, 0x80]) { $0.or(.s64, .r15, imm: -0x80000000) }
        check("or rbx, 0", [0x48, 0x83, 0xCB, 0x00]) { $0.or(.s64, .rbx, imm: 0) }
        check("adc eax, 1", [0x83, 0xD0, 0x01]) { $0.adc(.s32, .rax, imm: 1) }
        check("adc ecx, 127", [0x83, 0xD1, 0x7F]) { $0.adc(.s32, .rcx, imm: 127) }
        check("adc edx, 128", [0x81, 0xD2, 0x80, 0x00, 0x00, 0x00]) { $0.adc(.s32, .rdx, imm: 128) }
        check("adc eax, 128", [0x15, 0x80, 0x00, 0x00, 0x00]) { $0.adc(.s32, .rax, imm: 128) }
        check("adc r13d, -128", [0x41, 0x83, 0xD5, 0x80]) { $0.adc(.s32, .r13, imm: -128) }
        check("adc r8d, -129", [0x41, 0x81, 0xD0, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.adc(.s32, .r8, imm: -129) }
        check("adc eax, -129", [0x15, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.adc(.s32, .rax, imm: -129) }
        check("adc esp, 0x12345678", [0x81, 0xD4, 0x78, 0x56, 0x34, 0x12]) { $0.adc(.s32, .rsp, imm: 0x12345678) }
        check("adc eax, -1", [0x83, 0xD0, 0xFF]) { $0.adc(.s32, .rax, imm: -1) }
        check("adc r15d, -0x80000000", [0x41, 0x81, 0xD7, 0x00, 0x00, 0x00, 0x80]) { $0.adc(.s32, .r15, imm: -0x80000000) }
        check("adc ebx, 0", [0x83, 0xD3, 0x00]) { $0.adc(.s32, .rbx, imm: 0) }
        check("adc rax, 1", [0x48, 0x83, 0xD0, 0x01]) { $0.adc(.s64, .rax, imm: 1) }
        check("adc rcx, 127", [0x48, 0x83, 0xD1, 0x7F]) { $0.adc(.s64, .rcx, imm: 127) }
        check("adc rdx, 128", [0x48, 0x81, 0xD2, 0x80, 0x00, 0x00, 0x00]) { $0.adc(.s64, .rdx, imm: 128) }
        check("adc rax, 128", [0x48, 0x15, 0x80, 0x00, 0x00, 0x00]) { $0.adc(.s64, .rax, imm: 128) }
        check("adc r13, -128", [0x49, 0x83, 0xD5, 0x80]) { $0.adc(.s64, .r13, imm: -128) }
        check("adc r8, -129", [0x49, 0x81, 0xD0, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.adc(.s64, .r8, imm: -129) }
        check("adc rax, -129", [0x48, 0x15, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.adc(.s64, .rax, imm: -129) }
        check("adc rsp, 0x12345678", [0x48, 0x81, 0xD4, 0x78, 0x56, 0x34, 0x12]) { $0.adc(.s64, .rsp, imm: 0x12345678) }
        check("adc rax, -1", [0x48, 0x83, 0xD0, 0xFF]) { $0.adc(.s64, .rax, imm: -1) }
        check("adc r15, -0x80000000", [0x49, 0x81, 0xD7, 0x00, 0x00, 0x00, 0x80]) { $0.adc(.s64, .r15, imm: -0x80000000) }
        check("adc rbx, 0", [0x48, 0x83, 0xD3, 0x00]) { $0.adc(.s64, .rbx, imm: 0) }
        check("sbb eax, 1", [0x83, 0xD8, 0x01]) { $0.sbb(.s32, .rax, imm: 1) }
        check("sbb ecx, 127", [0x83, 0xD9, 0x7F]) { $0.sbb(.s32, .rcx, imm: 127) }
        check("sbb edx, 128", [0x81, 0xDA, 0x80, 0x00, 0x00, 0x00]) { $0.sbb(.s32, .rdx, imm: 128) }
        check("sbb eax, 128", [0x1D, 0x80, 0x00, 0x00, 0x00]) { $0.sbb(.s32, .rax, imm: 128) }
        check("sbb r13d, -128", [0x41, 0x83, 0xDD, 0x80]) { $0.sbb(.s32, .r13, imm: -128) }
        check("sbb r8d, -129", [0x41, 0x81, 0xD8, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.sbb(.s32, .r8, imm: -129) }
        check("sbb eax, -129", [0x1D, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.sbb(.s32, .rax, imm: -129) }
        check("sbb esp, 0x12345678", [0x81, 0xDC, 0x78, 0x56, 0x34, 0x12]) { $0.sbb(.s32, .rsp, imm: 0x12345678) }
        check("sbb eax, -1", [0x83, 0xD8, 0xFF]) { $0.sbb(.s32, .rax, imm: -1) }
        check("sbb r15d, -0x80000000", [0x41, 0x81, 0xDF, 0x00, 0x00, 0x00, 0x80]) { $0.sbb(.s32, .r15, imm: -0x80000000) }
        check("sbb ebx, 0", [0x83, 0xDB, 0x00]) { $0.sbb(.s32, .rbx, imm: 0) }
        check("sbb rax, 1", [0x48, 0x83, 0xD8, 0x01]) { $0.sbb(.s64, .rax, imm: 1) }
        check("sbb rcx, 127", [0x48, 0x83, 0xD9, 0x7F]) { $0.sbb(.s64, .rcx, imm: 127) }
        check("sbb rdx, 128", [0x48, 0x81, 0xDA, 0x80, 0x00, 0x00, 0x00]) { $0.sbb(.s64, .rdx, imm: 128) }
        check("sbb rax, 128", [0x48, 0x1D, 0x80, 0x00, 0x00, 0x00]) { $0.sbb(.s64, .rax, imm: 128) }
        check("sbb r13, -128", [0x49, 0x83, 0xDD, 0x80]) { $0.sbb(.s64, .r13, imm: -128) }
        check("sbb r8, -129", [0x49, 0x81, 0xD8, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.sbb(.s64, .r8, imm: -129) }
        check("sbb rax, -129", [0x48, 0x1D, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.sbb(.s64, .rax, imm: -129) }
        check("sbb rsp, 0x12345678", [0x48, 0x81, 0xDC, 0x78, 0x56, 0x34, 0x12]) { $0.sbb(.s64, .rsp, imm: 0x12345678) }
        check("sbb rax, -1", [0x48, 0x83, 0xD8, 0xFF]) { $0.sbb(.s64, .rax, imm: -1) }
        check("sbb r15, -0x80000000", [0x49, 0x81, 0xDF, 0x00, 0x00, 0x00, 0x80]) { $0.sbb(.s64, .r15, imm: -0x80000000) }
        check("sbb rbx, 0", [0x48, 0x83, 0xDB, 0x00]) { $0.sbb(.s64, .rbx, imm: 0) }
        check("and eax, 1", [0x83, 0xE0, 0x01]) { $0.and(.s32, .rax, imm: 1) }
        check("and ecx, 127", [0x83, 0xE1, 0x7F]) { $0.and(.s32, .rcx, imm: 127) }
        check("and edx, 128", [0x81, 0xE2, 0x80, 0x00, 0x00, 0x00]) { $0.and(.s32, .rdx, imm: 128) }
        check("and eax, 128", [0x25, 0x80, 0x00, 0x00, 0x00]) { $0.and(.s32, .rax, imm: 128) }
        check("and r13d, -128", [0x41, 0x83, 0xE5, 0x80]) { $0.and(.s32, .r13, imm: -128) }
        check("and r8d, -129", [0x41, 0x81, 0xE0, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.and(.s32, .r8, imm: -129) }
        check("and eax, -129", [0x25, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.and(.s32, .rax, imm: -129) }
        check("and esp, 0x12345678", [0x81, 0xE4, 0x78, 0x56, 0x34, 0x12]) { $0.and(.s32, .rsp, imm: 0x12345678) }
        check("and eax, -1", [0x83, 0xE0, 0xFF]) { $0.and(.s32, .rax, imm: -1) }
        check("and r15d, -0x80000000", [0x41, 0x81, 0xE7, 0x00, 0x00, 0x00, 0x80]) { $0.and(.s32, .r15, imm: -0x80000000) }
        check("and ebx, 0", [0x83, 0xE3, 0x00]) { $0.and(.s32, .rbx, imm: 0) }
        check("and rax, 1", [0x48, 0x83, 0xE0, 0x01]) { $0.and(.s64, .rax, imm: 1) }
        check("and rcx, 127", [0x48, 0x83, 0xE1, 0x7F]) { $0.and(.s64, .rcx, imm: 127) }
        check("and rdx, 128", [0x48, 0x81, 0xE2, 0x80, 0x00, 0x00, 0x00]) { $0.and(.s64, .rdx, imm: 128) }
        check("and rax, 128", [0x48, 0x25, 0x80, 0x00, 0x00, 0x00]) { $0.and(.s64, .rax, imm: 128) }
        check("and r13, -128", [0x49, 0x83, 0xE5, 0x80]) { $0.and(.s64, .r13, imm: -128) }
        check("and r8, -129", [0x49, 0x81, 0xE0, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.and(.s64, .r8, imm: -129) }
        check("and rax, -129", [0x48, 0x25, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.and(.s64, .rax, imm: -129) }
        check("and rsp, 0x12345678", [0x48, 0x81, 0xE4, 0x78, 0x56, 0x34, 0x12]) { $0.and(.s64, .rsp, imm: 0x12345678) }
        check("and rax, -1", [0x48, 0x83, 0xE0, 0xFF]) { $0.and(.s64, .rax, imm: -1) }
        check("and r15, -0x80000000", [0x49, 0x81, 0xE7, 0x00, 0x00, 0x00, 0x80]) { $0.and(.s64, .r15, imm: -0x80000000) }
        check("and rbx, 0", [0x48, 0x83, 0xE3, 0x00]) { $0.and(.s64, .rbx, imm: 0) }
        check("sub eax, 1", [0x83, 0xE8, 0x01]) { $0.sub(.s32, .rax, imm: 1) }
        check("sub ecx, 127", [0x83, 0xE9, 0x7F]) { $0.sub(.s32, .rcx, imm: 127) }
        check("sub edx, 128", [0x81, 0xEA, 0x80, 0x00, 0x00, 0x00]) { $0.sub(.s32, .rdx, imm: 128) }
        check("sub eax, 128", [0x2D, 0x80, 0x00, 0x00, 0x00]) { $0.sub(.s32, .rax, imm: 128) }
        check("sub r13d, -128", [0x41, 0x83, 0xED, 0x80]) { $0.sub(.s32, .r13, imm: -128) }
        check("sub r8d, -129", [0x41, 0x81, 0xE8, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.sub(.s32, .r8, imm: -129) }
        check("sub eax, -129", [0x2D, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.sub(.s32, .rax, imm: -129) }
        check("sub esp, 0x12345678", [0x81, 0xEC, 0x78, 0x56, 0x34, 0x12]) { $0.sub(.s32, .rsp, imm: 0x12345678) }
        check("sub eax, -1", [0x83, 0xE8, 0xFF]) { $0.sub(.s32, .rax, imm: -1) }
        check("sub r15d, -0x80000000", [0x41, 0x81, 0xEF, 0x00, 0x00, 0x00, 0x80]) { $0.sub(.s32, .r15, imm: -0x80000000) }
        check("sub ebx, 0", [0x83, 0xEB, 0x00]) { $0.sub(.s32, .rbx, imm: 0) }
        check("sub rax, 1", [0x48, 0x83, 0xE8, 0x01]) { $0.sub(.s64, .rax, imm: 1) }
        check("sub rcx, 127", [0x48, 0x83, 0xE9, 0x7F]) { $0.sub(.s64, .rcx, imm: 127) }
        check("sub rdx, 128", [0x48, 0x81, 0xEA, 0x80, 0x00, 0x00, 0x00]) { $0.sub(.s64, .rdx, imm: 128) }
        check("sub rax, 128", [0x48, 0x2D, 0x80, 0x00, 0x00, 0x00]) { $0.sub(.s64, .rax, imm: 128) }
        check("sub r13, -128", [0x49, 0x83, 0xED, 0x80]) { $0.sub(.s64, .r13, imm: -128) }
        check("sub r8, -129", [0x49, 0x81, 0xE8, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.sub(.s64, .r8, imm: -129) }
        check("sub rax, -129", [0x48, 0x2D, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.sub(.s64, .rax, imm: -129) }
        check("sub rsp, 0x12345678", [0x48, 0x81, 0xEC, 0x78, 0x56, 0x34, 0x12]) { $0.sub(.s64, .rsp, imm: 0x12345678) }
        check("sub rax, -1", [0x48, 0x83, 0xE8, 0xFF]) { $0.sub(.s64, .rax, imm: -1) }
        check("sub r15, -0x80000000", [0x49, 0x81, 0xEF, 0x00, 0x00, 0x00, 0x80]) { $0.sub(.s64, .r15, imm: -0x80000000) }
        check("sub rbx, 0", [0x48, 0x83, 0xEB, 0x00]) { $0.sub(.s64, .rbx, imm: 0) }
        check("xor eax, 1", [0x83, 0xF0, 0x01]) { $0.xor(.s32, .rax, imm: 1) }
        check("xor ecx, 127", [0x83, 0xF1, 0x7F]) { $0.xor(.s32, .rcx, imm: 127) }
        check("xor edx, 128", [0x81, 0xF2, 0x80, 0x00, 0x00, 0x00]) { $0.xor(.s32, .rdx, imm: 128) }
        check("xor eax, 128", [0x35, 0x80, 0x00, 0x00, 0x00]) { $0.xor(.s32, .rax, imm: 128) }
        check("xor r13d, -128", [0x41, 0x83, 0xF5, 0x80]) { $0.xor(.s32, .r13, imm: -128) }
        check("xor r8d, -129", [0x41, 0x81, 0xF0, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.xor(.s32, .r8, imm: -129) }
        check("xor eax, -129", [0x35, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.xor(.s32, .rax, imm: -129) }
        check("xor esp, 0x12345678", [0x81, 0xF4, 0x78, 0x56, 0x34, 0x12]) { $0.xor(.s32, .rsp, imm: 0x12345678) }
        check("xor eax, -1", [0x83, 0xF0, 0xFF]) { $0.xor(.s32, .rax, imm: -1) }
        check("xor r15d, -0x80000000", [0x41, 0x81, 0xF7, 0x00, 0x00, 0x00, 0x80]) { $0.xor(.s32, .r15, imm: -0x80000000) }
        check("xor ebx, 0", [0x83, 0xF3, 0x00]) { $0.xor(.s32, .rbx, imm: 0) }
        check("xor rax, 1", [0x48, 0x83, 0xF0, 0x01]) { $0.xor(.s64, .rax, imm: 1) }
        check("xor rcx, 127", [0x48, 0x83, 0xF1, 0x7F]) { $0.xor(.s64, .rcx, imm: 127) }
        check("xor rdx, 128", [0x48, 0x81, 0xF2, 0x80, 0x00, 0x00, 0x00]) { $0.xor(.s64, .rdx, imm: 128) }
        check("xor rax, 128", [0x48, 0x35, 0x80, 0x00, 0x00, 0x00]) { $0.xor(.s64, .rax, imm: 128) }
        check("xor r13, -128", [0x49, 0x83, 0xF5, 0x80]) { $0.xor(.s64, .r13, imm: -128) }
        check("xor r8, -129", [0x49, 0x81, 0xF0, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.xor(.s64, .r8, imm: -129) }
        check("xor rax, -129", [0x48, 0x35, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.xor(.s64, .rax, imm: -129) }
        check("xor rsp, 0x12345678", [0x48, 0x81, 0xF4, 0x78, 0x56, 0x34, 0x12]) { $0.xor(.s64, .rsp, imm: 0x12345678) }
        check("xor rax, -1", [0x48, 0x83, 0xF0, 0xFF]) { $0.xor(.s64, .rax, imm: -1) }
        check("xor r15, -0x80000000", [0x49, 0x81, 0xF7, 0x00, 0x00, 0x00, 0x80]) { $0.xor(.s64, .r15, imm: -0x80000000) }
        check("xor rbx, 0", [0x48, 0x83, 0xF3, 0x00]) { $0.xor(.s64, .rbx, imm: 0) }
        check("cmp eax, 1", [0x83, 0xF8, 0x01]) { $0.cmp(.s32, .rax, imm: 1) }
        check("cmp ecx, 127", [0x83, 0xF9, 0x7F]) { $0.cmp(.s32, .rcx, imm: 127) }
        check("cmp edx, 128", [0x81, 0xFA, 0x80, 0x00, 0x00, 0x00]) { $0.cmp(.s32, .rdx, imm: 128) }
        check("cmp eax, 128", [0x3D, 0x80, 0x00, 0x00, 0x00]) { $0.cmp(.s32, .rax, imm: 128) }
        check("cmp r13d, -128", [0x41, 0x83, 0xFD, 0x80]) { $0.cmp(.s32, .r13, imm: -128) }
        check("cmp r8d, -129", [0x41, 0x81, 0xF8, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.cmp(.s32, .r8, imm: -129) }
        check("cmp eax, -129", [0x3D, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.cmp(.s32, .rax, imm: -129) }
        check("cmp esp, 0x12345678", [0x81, 0xFC, 0x78, 0x56, 0x34, 0x12]) { $0.cmp(.s32, .rsp, imm: 0x12345678) }
        check("cmp eax, -1", [0x83, 0xF8, 0xFF]) { $0.cmp(.s32, .rax, imm: -1) }
        check("cmp r15d, -0x80000000", [0x41, 0x81, 0xFF, 0x00, 0x00, 0x00, 0x80]) { $0.cmp(.s32, .r15, imm: -0x80000000) }
        check("cmp ebx, 0", [0x83, 0xFB, 0x00]) { $0.cmp(.s32, .rbx, imm: 0) }
        check("cmp rax, 1", [0x48, 0x83, 0xF8, 0x01]) { $0.cmp(.s64, .rax, imm: 1) }
        check("cmp rcx, 127", [0x48, 0x83, 0xF9, 0x7F]) { $0.cmp(.s64, .rcx, imm: 127) }
        check("cmp rdx, 128", [0x48, 0x81, 0xFA, 0x80, 0x00, 0x00, 0x00]) { $0.cmp(.s64, .rdx, imm: 128) }
        check("cmp rax, 128", [0x48, 0x3D, 0x80, 0x00, 0x00, 0x00]) { $0.cmp(.s64, .rax, imm: 128) }
        check("cmp r13, -128", [0x49, 0x83, 0xFD, 0x80]) { $0.cmp(.s64, .r13, imm: -128) }
        check("cmp r8, -129", [0x49, 0x81, 0xF8, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.cmp(.s64, .r8, imm: -129) }
        check("cmp rax, -129", [0x48, 0x3D, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.cmp(.s64, .rax, imm: -129) }
        check("cmp rsp, 0x12345678", [0x48, 0x81, 0xFC, 0x78, 0x56, 0x34, 0x12]) { $0.cmp(.s64, .rsp, imm: 0x12345678) }
        check("cmp rax, -1", [0x48, 0x83, 0xF8, 0xFF]) { $0.cmp(.s64, .rax, imm: -1) }
        check("cmp r15, -0x80000000", [0x49, 0x81, 0xFF, 0x00, 0x00, 0x00, 0x80]) { $0.cmp(.s64, .r15, imm: -0x80000000) }
        check("cmp rbx, 0", [0x48, 0x83, 0xFB, 0x00]) { $0.cmp(.s64, .rbx, imm: 0) }
        check("sub rsp, 0x28", [0x48, 0x83, 0xEC, 0x28]) { $0.alu(.sub, .s64, .rsp, imm: 0x28) }
        check("xor r10d, r11d", [0x45, 0x31, 0xDA]) { $0.alu(.xor, .s32, .r10, .r11) }
    }

    @Test func aluMemory() {
        check("add eax, dword ptr [rsp]", [0x03, 0x04, 0x24]) { $0.add(.s32, .rax, .base(.rsp)) }
        check("add r9d, dword ptr [rbx + 127]", [0x44, 0x03, 0x4B, 0x7F]) { $0.add(.s32, .r9, .base(.rbx, 127)) }
        check("add rax, qword ptr [rsp + 16]", [0x48, 0x03, 0x44, 0x24, 0x10]) { $0.add(.s64, .rax, .base(.rsp, 16)) }
        check("add r9, qword ptr [rsi - 128]", [0x4C, 0x03, 0x4E, 0x80]) { $0.add(.s64, .r9, .base(.rsi, -128)) }
        check("or ebp, dword ptr [rbp]", [0x0B, 0x6D, 0x00]) { $0.or(.s32, .rbp, .base(.rbp)) }
        check("or r14d, dword ptr [r15 + 0x12345678]", [0x45, 0x0B, 0xB7, 0x78, 0x56, 0x34, 0x12]) { $0.or(.s32, .r14, .base(.r15, 0x12345678)) }
        check("or rbp, qword ptr [rbp - 16]", [0x48, 0x0B, 0x6D, 0xF0]) { $0.or(.s64, .rbp, .base(.rbp, -16)) }
        check("or r14, qword ptr [r8 + 0x7fffffff]", [0x4D, 0x0B, 0xB0, 0xFF, 0xFF, 0xFF, 0x7F]) { $0.or(.s64, .r14, .base(.r8, 0x7FFFFFFF)) }
        check("adc r10d, dword ptr [rbx + 128]", [0x44, 0x13, 0x93, 0x80, 0x00, 0x00, 0x00]) { $0.adc(.s32, .r10, .base(.rbx, 128)) }
        check("adc ebx, dword ptr [rdx + rbx*2 + 16]", [0x13, 0x5C, 0x5A, 0x10]) { $0.adc(.s32, .rbx, .base(.rdx, index: .rbx, scale: 2, 16)) }
        check("adc r10, qword ptr [rsi - 129]", [0x4C, 0x13, 0x96, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.adc(.s64, .r10, .base(.rsi, -129)) }
        check("adc rbx, qword ptr [r13 + r14*8 - 8]", [0x4B, 0x13, 0x5C, 0xF5, 0xF8]) { $0.adc(.s64, .rbx, .base(.r13, index: .r14, scale: 8, -8)) }
        check("sbb r15d, dword ptr [rdi - 0x80000000]", [0x44, 0x1B, 0xBF, 0x00, 0x00, 0x00, 0x80]) { $0.sbb(.s32, .r15, .base(.rdi, -0x80000000)) }
        check("sbb r8d, dword ptr [r12 + rbp*4]", [0x45, 0x1B, 0x04, 0xAC]) { $0.sbb(.s32, .r8, .base(.r12, index: .rbp, scale: 4)) }
        check("sbb r15, qword ptr [rax + rcx*1]", [0x4C, 0x1B, 0x3C, 0x08]) { $0.sbb(.s64, .r15, .base(.rax, index: .rcx, scale: 1)) }
        check("sbb r8, qword ptr [rcx + r15*8 - 129]", [0x4E, 0x1B, 0x84, 0xF9, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.sbb(.s64, .r8, .base(.rcx, index: .r15, scale: 8, -129)) }
        check("and esp, dword ptr [rbp + rsi*4]", [0x23, 0x64, 0xB5, 0x00]) { $0.and(.s32, .rsp, .base(.rbp, index: .rsi, scale: 4)) }
        check("and r13d, dword ptr [r11*4]", [0x46, 0x23, 0x2C, 0x9D, 0x00, 0x00, 0x00, 0x00]) { $0.and(.s32, .r13, .index(.r11, scale: 4)) }
        check("and rsp, qword ptr [rsp + r12*1 + 200]", [0x4A, 0x23, 0xA4, 0x24, 0xC8, 0x00, 0x00, 0x00]) { $0.and(.s64, .rsp, .base(.rsp, index: .r12, scale: 1, 200)) }
        check("and r13, qword ptr [rax]", [0x4C, 0x23, 0x28]) { $0.and(.s64, .r13, .base(.rax)) }
        check("sub r9d, dword ptr [r9 + r10*2 + 1000]", [0x47, 0x2B, 0x8C, 0x51, 0xE8, 0x03, 0x00, 0x00]) { $0.sub(.s32, .r9, .base(.r9, index: .r10, scale: 2, 1000)) }
        check("sub edx, dword ptr [rsp]", [0x2B, 0x14, 0x24]) { $0.sub(.s32, .rdx, .base(.rsp)) }
        check("sub r9, qword ptr [rcx*8 + 64]", [0x4C, 0x2B, 0x0C, 0xCD, 0x40, 0x00, 0x00, 0x00]) { $0.sub(.s64, .r9, .index(.rcx, scale: 8, 64)) }
        check("sub rdx, qword ptr [rsp + 16]", [0x48, 0x2B, 0x54, 0x24, 0x10]) { $0.sub(.s64, .rdx, .base(.rsp, 16)) }
        check("xor r14d, dword ptr [4096]", [0x44, 0x33, 0x34, 0x25, 0x00, 0x10, 0x00, 0x00]) { $0.xor(.s32, .r14, .absolute(4096)) }
        check("xor edi, dword ptr [rbp]", [0x33, 0x7D, 0x00]) { $0.xor(.s32, .rdi, .base(.rbp)) }
        check("xor r14, qword ptr [rcx + 8]", [0x4C, 0x33, 0x71, 0x08]) { $0.xor(.s64, .r14, .base(.rcx, 8)) }
        check("xor rdi, qword ptr [rbp - 16]", [0x48, 0x33, 0x7D, 0xF0]) { $0.xor(.s64, .rdi, .base(.rbp, -16)) }
        check("cmp ebx, dword ptr [r12]", [0x41, 0x3B, 0x1C, 0x24]) { $0.cmp(.s32, .rbx, .base(.r12)) }
        check("cmp r12d, dword ptr [rbx + 128]", [0x44, 0x3B, 0xA3, 0x80, 0x00, 0x00, 0x00]) { $0.cmp(.s32, .r12, .base(.rbx, 128)) }
        check("cmp rbx, qword ptr [r12 - 8]", [0x49, 0x3B, 0x5C, 0x24, 0xF8]) { $0.cmp(.s64, .rbx, .base(.r12, -8)) }
        check("cmp r12, qword ptr [rsi - 129]", [0x4C, 0x3B, 0xA6, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.cmp(.s64, .r12, .base(.rsi, -129)) }
        check("add dword ptr [r12 + 8], eax", [0x41, 0x01, 0x44, 0x24, 0x08]) { $0.add(.s32, .base(.r12, 8), .rax) }
        check("add dword ptr [rdx*2 + 256], 5", [0x83, 0x04, 0x55, 0x00, 0x01, 0x00, 0x00, 0x05]) { $0.add(.s32, .index(.rdx, scale: 2, 256), imm: 5) }
        check("add dword ptr [rsp + r9*4 + 127], -128", [0x42, 0x83, 0x44, 0x8C, 0x7F, 0x80]) { $0.add(.s32, .base(.rsp, index: .r9, scale: 4, 127), imm: -128) }
        check("add dword ptr [r13], 128", [0x41, 0x81, 0x45, 0x00, 0x80, 0x00, 0x00, 0x00]) { $0.add(.s32, .base(.r13), imm: 128) }
        check("add dword ptr [rsp + r9*4 + 127], 0x10000", [0x42, 0x81, 0x44, 0x8C, 0x7F, 0x00, 0x00, 0x01, 0x00]) { $0.add(.s32, .base(.rsp, index: .r9, scale: 4, 127), imm: 0x10000) }
        check("add qword ptr [r13], rax", [0x49, 0x01, 0x45, 0x00]) { $0.add(.s64, .base(.r13), .rax) }
        check("add qword ptr [rdx*2 + 256], 5", [0x48, 0x83, 0x04, 0x55, 0x00, 0x01, 0x00, 0x00, 0x05]) { $0.add(.s64, .index(.rdx, scale: 2, 256), imm: 5) }
        check("add qword ptr [rsp + r9*4 + 127], -128", [0x4A, 0x83, 0x44, 0x8C, 0x7F, 0x80]) { $0.add(.s64, .base(.rsp, index: .r9, scale: 4, 127), imm: -128) }
        check("add qword ptr [r13], 128", [0x49, 0x81, 0x45, 0x00, 0x80, 0x00, 0x00, 0x00]) { $0.add(.s64, .base(.r13), imm: 128) }
        check("add qword ptr [rsp + r9*4 + 127], 0x10000", [0x4A, 0x81, 0x44, 0x8C, 0x7F, 0x00, 0x00, 0x01, 0x00]) { $0.add(.s64, .base(.rsp, index: .r9, scale: 4, 127), imm: 0x10000) }
        check("or dword ptr [r13], edi", [0x41, 0x09, 0x7D, 0x00]) { $0.or(.s32, .base(.r13), .rdi) }
        check("or dword ptr [rax], 5", [0x83, 0x08, 0x05]) { $0.or(.s32, .base(.rax), imm: 5) }
        check("or dword ptr [rdx*2 + 256], -128", [0x83, 0x0C, 0x55, 0x00, 0x01, 0x00, 0x00, 0x80]) { $0.or(.s32, .index(.rdx, scale: 2, 256), imm: -128) }
        check("or dword ptr [rbp - 129], 128", [0x81, 0x8D, 0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00]) { $0.or(.s32, .base(.rbp, -129), imm: 128) }
        check("or dword ptr [rdx*2 + 256], 0x10000", [0x81, 0x0C, 0x55, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00]) { $0.or(.s32, .index(.rdx, scale: 2, 256), imm: 0x10000) }
        check("or qword ptr [rbp - 129], rdi", [0x48, 0x09, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.or(.s64, .base(.rbp, -129), .rdi) }
        check("or qword ptr [rax], 5", [0x48, 0x83, 0x08, 0x05]) { $0.or(.s64, .base(.rax), imm: 5) }
        check("or qword ptr [rdx*2 + 256], -128", [0x48, 0x83, 0x0C, 0x55, 0x00, 0x01, 0x00, 0x00, 0x80]) { $0.or(.s64, .index(.rdx, scale: 2, 256), imm: -128) }
        check("or qword ptr [rbp - 129], 128", [0x48, 0x81, 0x8D, 0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00]) { $0.or(.s64, .base(.rbp, -129), imm: 128) }
        check("or qword ptr [rdx*2 + 256], 0x10000", [0x48, 0x81, 0x0C, 0x55, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00]) { $0.or(.s64, .index(.rdx, scale: 2, 256), imm: 0x10000) }
        check("and dword ptr [rbp - 129], r14d", [0x44, 0x21, 0xB5, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.and(.s32, .base(.rbp, -129), .r14) }
        check("and dword ptr [r12 + 8], 5", [0x41, 0x83, 0x64, 0x24, 0x08, 0x05]) { $0.and(.s32, .base(.r12, 8), imm: 5) }
        check("and dword ptr [rax], -128", [0x83, 0x20, 0x80]) { $0.and(.s32, .base(.rax), imm: -128) }
        check("and dword ptr [rsp + r9*4 + 127], 128", [0x42, 0x81, 0x64, 0x8C, 0x7F, 0x80, 0x00, 0x00, 0x00]) { $0.and(.s32, .base(.rsp, index: .r9, scale: 4, 127), imm: 128) }
        check("and dword ptr [rax], 0x10000", [0x81, 0x20, 0x00, 0x00, 0x01, 0x00]) { $0.and(.s32, .base(.rax), imm: 0x10000) }
        check("and qword ptr [rsp + r9*4 + 127], r14", [0x4E, 0x21, 0x74, 0x8C, 0x7F]) { $0.and(.s64, .base(.rsp, index: .r9, scale: 4, 127), .r14) }
        check("and qword ptr [r12 + 8], 5", [0x49, 0x83, 0x64, 0x24, 0x08, 0x05]) { $0.and(.s64, .base(.r12, 8), imm: 5) }
        check("and qword ptr [rax], -128", [0x48, 0x83, 0x20, 0x80]) { $0.and(.s64, .base(.rax), imm: -128) }
        check("and qword ptr [rsp + r9*4 + 127], 128", [0x4A, 0x81, 0x64, 0x8C, 0x7F, 0x80, 0x00, 0x00, 0x00]) { $0.and(.s64, .base(.rsp, index: .r9, scale: 4, 127), imm: 128) }
        check("and qword ptr [rax], 0x10000", [0x48, 0x81, 0x20, 0x00, 0x00, 0x01, 0x00]) { $0.and(.s64, .base(.rax), imm: 0x10000) }
        check("sub dword ptr [rsp + r9*4 + 127], ebp", [0x42, 0x29, 0x6C, 0x8C, 0x7F]) { $0.sub(.s32, .base(.rsp, index: .r9, scale: 4, 127), .rbp) }
        check("sub dword ptr [r13], 5", [0x41, 0x83, 0x6D, 0x00, 0x05]) { $0.sub(.s32, .base(.r13), imm: 5) }
        check("sub dword ptr [r12 + 8], -128", [0x41, 0x83, 0x6C, 0x24, 0x08, 0x80]) { $0.sub(.s32, .base(.r12, 8), imm: -128) }
        check("sub dword ptr [rdx*2 + 256], 128", [0x81, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00]) { $0.sub(.s32, .index(.rdx, scale: 2, 256), imm: 128) }
        check("sub dword ptr [r12 + 8], 0x10000", [0x41, 0x81, 0x6C, 0x24, 0x08, 0x00, 0x00, 0x01, 0x00]) { $0.sub(.s32, .base(.r12, 8), imm: 0x10000) }
        check("sub qword ptr [rdx*2 + 256], rbp", [0x48, 0x29, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.sub(.s64, .index(.rdx, scale: 2, 256), .rbp) }
        check("sub qword ptr [r13], 5", [0x49, 0x83, 0x6D, 0x00, 0x05]) { $0.sub(.s64, .base(.r13), imm: 5) }
        check("sub qword ptr [r12 + 8], -128", [0x49, 0x83, 0x6C, 0x24, 0x08, 0x80]) { $0.sub(.s64, .base(.r12, 8), imm: -128) }
        check("sub qword ptr [rdx*2 + 256], 128", [0x48, 0x81, 0x2C, 0x55, 0x00, 0x01, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00]) { $0.sub(.s64, .index(.rdx, scale: 2, 256), imm: 128) }
        check("sub qword ptr [r12 + 8], 0x10000", [0x49, 0x81, 0x6C, 0x24, 0x08, 0x00, 0x00, 0x01, 0x00]) { $0.sub(.s64, .base(.r12, 8), imm: 0x10000) }
        check("xor dword ptr [rdx*2 + 256], r12d", [0x44, 0x31, 0x24, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.xor(.s32, .index(.rdx, scale: 2, 256), .r12) }
        check("xor dword ptr [rbp - 129], 5", [0x83, 0xB5, 0x7F, 0xFF, 0xFF, 0xFF, 0x05]) { $0.xor(.s32, .base(.rbp, -129), imm: 5) }
        check("xor dword ptr [r13], -128", [0x41, 0x83, 0x75, 0x00, 0x80]) { $0.xor(.s32, .base(.r13), imm: -128) }
        check("xor dword ptr [rax], 128", [0x81, 0x30, 0x80, 0x00, 0x00, 0x00]) { $0.xor(.s32, .base(.rax), imm: 128) }
        check("xor dword ptr [r13], 0x10000", [0x41, 0x81, 0x75, 0x00, 0x00, 0x00, 0x01, 0x00]) { $0.xor(.s32, .base(.r13), imm: 0x10000) }
        check("xor qword ptr [rax], r12", [0x4C, 0x31, 0x20]) { $0.xor(.s64, .base(.rax), .r12) }
        check("xor qword ptr [rbp - 129], 5", [0x48, 0x83, 0xB5, 0x7F, 0xFF, 0xFF, 0xFF, 0x05]) { $0.xor(.s64, .base(.rbp, -129), imm: 5) }
        check("xor qword ptr [r13], -128", [0x49, 0x83, 0x75, 0x00, 0x80]) { $0.xor(.s64, .base(.r13), imm: -128) }
        check("xor qword ptr [rax], 128", [0x48, 0x81, 0x30, 0x80, 0x00, 0x00, 0x00]) { $0.xor(.s64, .base(.rax), imm: 128) }
        check("xor qword ptr [r13], 0x10000", [0x49, 0x81, 0x75, 0x00, 0x00, 0x00, 0x01, 0x00]) { $0.xor(.s64, .base(.r13), imm: 0x10000) }
        check("cmp dword ptr [rax], ebx", [0x39, 0x18]) { $0.cmp(.s32, .base(.rax), .rbx) }
        check("cmp dword ptr [rsp + r9*4 + 127], 5", [0x42, 0x83, 0x7C, 0x8C, 0x7F, 0x05]) { $0.cmp(.s32, .base(.rsp, index: .r9, scale: 4, 127), imm: 5) }
        check("cmp dword ptr [rbp - 129], -128", [0x83, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF, 0x80]) { $0.cmp(.s32, .base(.rbp, -129), imm: -128) }
        check("cmp dword ptr [r12 + 8], 128", [0x41, 0x81, 0x7C, 0x24, 0x08, 0x80, 0x00, 0x00, 0x00]) { $0.cmp(.s32, .base(.r12, 8), imm: 128) }
        check("cmp dword ptr [rbp - 129], 0x10000", [0x81, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00]) { $0.cmp(.s32, .base(.rbp, -129), imm: 0x10000) }
        check("cmp qword ptr [r12 + 8], rbx", [0x49, 0x39, 0x5C, 0x24, 0x08]) { $0.cmp(.s64, .base(.r12, 8), .rbx) }
        check("cmp qword ptr [rsp + r9*4 + 127], 5", [0x4A, 0x83, 0x7C, 0x8C, 0x7F, 0x05]) { $0.cmp(.s64, .base(.rsp, index: .r9, scale: 4, 127), imm: 5) }
        check("cmp qword ptr [rbp - 129], -128", [0x48, 0x83, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF, 0x80]) { $0.cmp(.s64, .base(.rbp, -129), imm: -128) }
        check("cmp qword ptr [r12 + 8], 128", [0x49, 0x81, 0x7C, 0x24, 0x08, 0x80, 0x00, 0x00, 0x00]) { $0.cmp(.s64, .base(.r12, 8), imm: 128) }
        check("cmp qword ptr [rbp - 129], 0x10000", [0x48, 0x81, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00]) { $0.cmp(.s64, .base(.rbp, -129), imm: 0x10000) }
    }

    @Test func testInstruction() {
        check("test eax, eax", [0x85, 0xC0]) { $0.test(.s32, .rax, .rax) }
        check("test ecx, edx", [0x85, 0xD1]) { $0.test(.s32, .rcx, .rdx) }
        check("test r8d, ebx", [0x41, 0x85, 0xD8]) { $0.test(.s32, .r8, .rbx) }
        check("test esi, r14d", [0x44, 0x85, 0xF6]) { $0.test(.s32, .rsi, .r14) }
        check("test r12d, r13d", [0x45, 0x85, 0xEC]) { $0.test(.s32, .r12, .r13) }
        check("test eax, 1", [0xA9, 0x01, 0x00, 0x00, 0x00]) { $0.test(.s32, .rax, imm: 1) }
        check("test eax, 1000", [0xA9, 0xE8, 0x03, 0x00, 0x00]) { $0.test(.s32, .rax, imm: 1000) }
        check("test ecx, 1", [0xF7, 0xC1, 0x01, 0x00, 0x00, 0x00]) { $0.test(.s32, .rcx, imm: 1) }
        check("test edi, 255", [0xF7, 0xC7, 0xFF, 0x00, 0x00, 0x00]) { $0.test(.s32, .rdi, imm: 255) }
        check("test r9d, -1", [0x41, 0xF7, 0xC1, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.test(.s32, .r9, imm: -1) }
        check("test esp, 0x12345678", [0xF7, 0xC4, 0x78, 0x56, 0x34, 0x12]) { $0.test(.s32, .rsp, imm: 0x12345678) }
        check("test eax, -0x80000000", [0xA9, 0x00, 0x00, 0x00, 0x80]) { $0.test(.s32, .rax, imm: -0x80000000) }
        check("test rax, rax", [0x48, 0x85, 0xC0]) { $0.test(.s64, .rax, .rax) }
        check("test rcx, rdx", [0x48, 0x85, 0xD1]) { $0.test(.s64, .rcx, .rdx) }
        check("test r8, rbx", [0x49, 0x85, 0xD8]) { $0.test(.s64, .r8, .rbx) }
        check("test rsi, r14", [0x4C, 0x85, 0xF6]) { $0.test(.s64, .rsi, .r14) }
        check("test r12, r13", [0x4D, 0x85, 0xEC]) { $0.test(.s64, .r12, .r13) }
        check("test rax, 1", [0x48, 0xA9, 0x01, 0x00, 0x00, 0x00]) { $0.test(.s64, .rax, imm: 1) }
        check("test rax, 1000", [0x48, 0xA9, 0xE8, 0x03, 0x00, 0x00]) { $0.test(.s64, .rax, imm: 1000) }
        check("test rcx, 1", [0x48, 0xF7, 0xC1, 0x01, 0x00, 0x00, 0x00]) { $0.test(.s64, .rcx, imm: 1) }
        check("test rdi, 255", [0x48, 0xF7, 0xC7, 0xFF, 0x00, 0x00, 0x00]) { $0.test(.s64, .rdi, imm: 255) }
        check("test r9, -1", [0x49, 0xF7, 0xC1, 0xFF, 0xFF, 0xFF, 0xFF]) { $0.test(.s64, .r9, imm: -1) }
        check("test rsp, 0x12345678", [0x48, 0xF7, 0xC4, 0x78, 0x56, 0x34, 0x12]) { $0.test(.s64, .rsp, imm: 0x12345678) }
        check("test rax, -0x80000000", [0x48, 0xA9, 0x00, 0x00, 0x00, 0x80]) { $0.test(.s64, .rax, imm: -0x80000000) }
    }

    @Test func multiplyDivide() {
        check("imul eax, ecx", [0x0F, 0xAF, 0xC1]) { $0.imul(.s32, .rax, .rcx) }
        check("imul r8d, edx", [0x44, 0x0F, 0xAF, 0xC2]) { $0.imul(.s32, .r8, .rdx) }
        check("imul ebx, r15d", [0x41, 0x0F, 0xAF, 0xDF]) { $0.imul(.s32, .rbx, .r15) }
        check("imul r12d, r13d", [0x45, 0x0F, 0xAF, 0xE5]) { $0.imul(.s32, .r12, .r13) }
        check("imul eax, ecx, 3", [0x6B, 0xC1, 0x03]) { $0.imul(.s32, .rax, .rcx, imm: 3) }
        check("imul ecx, ecx, 127", [0x6B, 0xC9, 0x7F]) { $0.imul(.s32, .rcx, .rcx, imm: 127) }
        check("imul edx, eax, 128", [0x69, 0xD0, 0x80, 0x00, 0x00, 0x00]) { $0.imul(.s32, .rdx, .rax, imm: 128) }
        check("imul r9d, r10d, -128", [0x45, 0x6B, 0xCA, 0x80]) { $0.imul(.s32, .r9, .r10, imm: -128) }
        check("imul esp, ebp, -129", [0x69, 0xE5, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.imul(.s32, .rsp, .rbp, imm: -129) }
        check("imul r15d, eax, 0x12345678", [0x44, 0x69, 0xF8, 0x78, 0x56, 0x34, 0x12]) { $0.imul(.s32, .r15, .rax, imm: 0x12345678) }
        check("imul eax, r13d, -1", [0x41, 0x6B, 0xC5, 0xFF]) { $0.imul(.s32, .rax, .r13, imm: -1) }
        check("mul ecx", [0xF7, 0xE1]) { $0.mul(.s32, .rcx) }
        check("mul esi", [0xF7, 0xE6]) { $0.mul(.s32, .rsi) }
        check("mul r11d", [0x41, 0xF7, 0xE3]) { $0.mul(.s32, .r11) }
        check("imul ecx", [0xF7, 0xE9]) { $0.imul(.s32, .rcx) }
        check("imul esi", [0xF7, 0xEE]) { $0.imul(.s32, .rsi) }
        check("imul r11d", [0x41, 0xF7, 0xEB]) { $0.imul(.s32, .r11) }
        check("div ecx", [0xF7, 0xF1]) { $0.div(.s32, .rcx) }
        check("div esi", [0xF7, 0xF6]) { $0.div(.s32, .rsi) }
        check("div r11d", [0x41, 0xF7, 0xF3]) { $0.div(.s32, .r11) }
        check("idiv ecx", [0xF7, 0xF9]) { $0.idiv(.s32, .rcx) }
        check("idiv esi", [0xF7, 0xFE]) { $0.idiv(.s32, .rsi) }
        check("idiv r11d", [0x41, 0xF7, 0xFB]) { $0.idiv(.s32, .r11) }
        check("neg ecx", [0xF7, 0xD9]) { $0.neg(.s32, .rcx) }
        check("neg esi", [0xF7, 0xDE]) { $0.neg(.s32, .rsi) }
        check("neg r11d", [0x41, 0xF7, 0xDB]) { $0.neg(.s32, .r11) }
        check("not ecx", [0xF7, 0xD1]) { $0.not(.s32, .rcx) }
        check("not esi", [0xF7, 0xD6]) { $0.not(.s32, .rsi) }
        check("not r11d", [0x41, 0xF7, 0xD3]) { $0.not(.s32, .r11) }
        check("imul rax, rcx", [0x48, 0x0F, 0xAF, 0xC1]) { $0.imul(.s64, .rax, .rcx) }
        check("imul r8, rdx", [0x4C, 0x0F, 0xAF, 0xC2]) { $0.imul(.s64, .r8, .rdx) }
        check("imul rbx, r15", [0x49, 0x0F, 0xAF, 0xDF]) { $0.imul(.s64, .rbx, .r15) }
        check("imul r12, r13", [0x4D, 0x0F, 0xAF, 0xE5]) { $0.imul(.s64, .r12, .r13) }
        check("imul rax, rcx, 3", [0x48, 0x6B, 0xC1, 0x03]) { $0.imul(.s64, .rax, .rcx, imm: 3) }
        check("imul rcx, rcx, 127", [0x48, 0x6B, 0xC9, 0x7F]) { $0.imul(.s64, .rcx, .rcx, imm: 127) }
        check("imul rdx, rax, 128", [0x48, 0x69, 0xD0, 0x80, 0x00, 0x00, 0x00]) { $0.imul(.s64, .rdx, .rax, imm: 128) }
        check("imul r9, r10, -128", [0x4D, 0x6B, 0xCA, 0x80]) { $0.imul(.s64, .r9, .r10, imm: -128) }
        check("imul rsp, rbp, -129", [0x48, 0x69, 0xE5, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.imul(.s64, .rsp, .rbp, imm: -129) }
        check("imul r15, rax, 0x12345678", [0x4C, 0x69, 0xF8, 0x78, 0x56, 0x34, 0x12]) { $0.imul(.s64, .r15, .rax, imm: 0x12345678) }
        check("imul rax, r13, -1", [0x49, 0x6B, 0xC5, 0xFF]) { $0.imul(.s64, .rax, .r13, imm: -1) }
        check("mul rcx", [0x48, 0xF7, 0xE1]) { $0.mul(.s64, .rcx) }
        check("mul rsi", [0x48, 0xF7, 0xE6]) { $0.mul(.s64, .rsi) }
        check("mul r11", [0x49, 0xF7, 0xE3]) { $0.mul(.s64, .r11) }
        check("imul rcx", [0x48, 0xF7, 0xE9]) { $0.imul(.s64, .rcx) }
        check("imul rsi", [0x48, 0xF7, 0xEE]) { $0.imul(.s64, .rsi) }
        check("imul r11", [0x49, 0xF7, 0xEB]) { $0.imul(.s64, .r11) }
        check("div rcx", [0x48, 0xF7, 0xF1]) { $0.div(.s64, .rcx) }
        check("div rsi", [0x48, 0xF7, 0xF6]) { $0.div(.s64, .rsi) }
        check("div r11", [0x49, 0xF7, 0xF3]) { $0.div(.s64, .r11) }
        check("idiv rcx", [0x48, 0xF7, 0xF9]) { $0.idiv(.s64, .rcx) }
        check("idiv rsi", [0x48, 0xF7, 0xFE]) { $0.idiv(.s64, .rsi) }
        check("idiv r11", [0x49, 0xF7, 0xFB]) { $0.idiv(.s64, .r11) }
        check("neg rcx", [0x48, 0xF7, 0xD9]) { $0.neg(.s64, .rcx) }
        check("neg rsi", [0x48, 0xF7, 0xDE]) { $0.neg(.s64, .rsi) }
        check("neg r11", [0x49, 0xF7, 0xDB]) { $0.neg(.s64, .r11) }
        check("not rcx", [0x48, 0xF7, 0xD1]) { $0.not(.s64, .rcx) }
        check("not rsi", [0x48, 0xF7, 0xD6]) { $0.not(.s64, .rsi) }
        check("not r11", [0x49, 0xF7, 0xD3]) { $0.not(.s64, .r11) }
        check("cdq", [0x99]) { $0.cdq() }
        check("cqo", [0x48, 0x99]) { $0.cqo() }
    }

    @Test func shifts() {
        check("shl eax, cl", [0xD3, 0xE0]) { $0.shl(.s32, .rax, .rcx) }
        check("shl eax, 1", [0xD1, 0xE0]) { $0.shl(.s32, .rax, imm: 1) }
        check("shl edx, cl", [0xD3, 0xE2]) { $0.shl(.s32, .rdx, .rcx) }
        check("shl edx, 5", [0xC1, 0xE2, 0x05]) { $0.shl(.s32, .rdx, imm: 5) }
        check("shl r10d, cl", [0x41, 0xD3, 0xE2]) { $0.shl(.s32, .r10, .rcx) }
        check("shl r10d, 31", [0x41, 0xC1, 0xE2, 0x1F]) { $0.shl(.s32, .r10, imm: 31) }
        check("shl edi, cl", [0xD3, 0xE7]) { $0.shl(.s32, .rdi, .rcx) }
        check("shl edi, 0", [0xC1, 0xE7, 0x00]) { $0.shl(.s32, .rdi, imm: 0) }
        check("shl rax, cl", [0x48, 0xD3, 0xE0]) { $0.shl(.s64, .rax, .rcx) }
        check("shl rax, 1", [0x48, 0xD1, 0xE0]) { $0.shl(.s64, .rax, imm: 1) }
        check("shl rdx, cl", [0x48, 0xD3, 0xE2]) { $0.shl(.s64, .rdx, .rcx) }
        check("shl rdx, 5", [0x48, 0xC1, 0xE2, 0x05]) { $0.shl(.s64, .rdx, imm: 5) }
        check("shl r10, cl", [0x49, 0xD3, 0xE2]) { $0.shl(.s64, .r10, .rcx) }
        check("shl r10, 63", [0x49, 0xC1, 0xE2, 0x3F]) { $0.shl(.s64, .r10, imm: 63) }
        check("shl rdi, cl", [0x48, 0xD3, 0xE7]) { $0.shl(.s64, .rdi, .rcx) }
        check("shl rdi, 0", [0x48, 0xC1, 0xE7, 0x00]) { $0.shl(.s64, .rdi, imm: 0) }
        check("shr eax, cl", [0xD3, 0xE8]) { $0.shr(.s32, .rax, .rcx) }
        check("shr eax, 1", [0xD1, 0xE8]) { $0.shr(.s32, .rax, imm: 1) }
        check("shr edx, cl", [0xD3, 0xEA]) { $0.shr(.s32, .rdx, .rcx) }
        check("shr edx, 5", [0xC1, 0xEA, 0x05]) { $0.shr(.s32, .rdx, imm: 5) }
        check("shr r10d, cl", [0x41, 0xD3, 0xEA]) { $0.shr(.s32, .r10, .rcx) }
        check("shr r10d, 31", [0x41, 0xC1, 0xEA, 0x1F]) { $0.shr(.s32, .r10, imm: 31) }
        check("shr edi, cl", [0xD3, 0xEF]) { $0.shr(.s32, .rdi, .rcx) }
        check("shr edi, 0", [0xC1, 0xEF, 0x00]) { $0.shr(.s32, .rdi, imm: 0) }
        check("shr rax, cl", [0x48, 0xD3, 0xE8]) { $0.shr(.s64, .rax, .rcx) }
        check("shr rax, 1", [0x48, 0xD1, 0xE8]) { $0.shr(.s64, .rax, imm: 1) }
        check("shr rdx, cl", [0x48, 0xD3, 0xEA]) { $0.shr(.s64, .rdx, .rcx) }
        check("shr rdx, 5", [0x48, 0xC1, 0xEA, 0x05]) { $0.shr(.s64, .rdx, imm: 5) }
        check("shr r10, cl", [0x49, 0xD3, 0xEA]) { $0.shr(.s64, .r10, .rcx) }
        check("shr r10, 63", [0x49, 0xC1, 0xEA, 0x3F]) { $0.shr(.s64, .r10, imm: 63) }
        check("shr rdi, cl", [0x48, 0xD3, 0xEF]) { $0.shr(.s64, .rdi, .rcx) }
        check("shr rdi, 0", [0x48, 0xC1, 0xEF, 0x00]) { $0.shr(.s64, .rdi, imm: 0) }
        check("sar eax, cl", [0xD3, 0xF8]) { $0.sar(.s32, .rax, .rcx) }
        check("sar eax, 1", [0xD1, 0xF8]) { $0.sar(.s32, .rax, imm: 1) }
        check("sar edx, cl", [0xD3, 0xFA]) { $0.sar(.s32, .rdx, .rcx) }
        check("sar edx, 5", [0xC1, 0xFA, 0x05]) { $0.sar(.s32, .rdx, imm: 5) }
        check("sar r10d, cl", [0x41, 0xD3, 0xFA]) { $0.sar(.s32, .r10, .rcx) }
        check("sar r10d, 31", [0x41, 0xC1, 0xFA, 0x1F]) { $0.sar(.s32, .r10, imm: 31) }
        check("sar edi, cl", [0xD3, 0xFF]) { $0.sar(.s32, .rdi, .rcx) }
        check("sar edi, 0", [0xC1, 0xFF, 0x00]) { $0.sar(.s32, .rdi, imm: 0) }
        check("sar rax, cl", [0x48, 0xD3, 0xF8]) { $0.sar(.s64, .rax, .rcx) }
        check("sar rax, 1", [0x48, 0xD1, 0xF8]) { $0.sar(.s64, .rax, imm: 1) }
        check("sar rdx, cl", [0x48, 0xD3, 0xFA]) { $0.sar(.s64, .rdx, .rcx) }
        check("sar rdx, 5", [0x48, 0xC1, 0xFA, 0x05]) { $0.sar(.s64, .rdx, imm: 5) }
        check("sar r10, cl", [0x49, 0xD3, 0xFA]) { $0.sar(.s64, .r10, .rcx) }
        check("sar r10, 63", [0x49, 0xC1, 0xFA, 0x3F]) { $0.sar(.s64, .r10, imm: 63) }
        check("sar rdi, cl", [0x48, 0xD3, 0xFF]) { $0.sar(.s64, .rdi, .rcx) }
        check("sar rdi, 0", [0x48, 0xC1, 0xFF, 0x00]) { $0.sar(.s64, .rdi, imm: 0) }
        check("rol eax, cl", [0xD3, 0xC0]) { $0.rol(.s32, .rax, .rcx) }
        check("rol eax, 1", [0xD1, 0xC0]) { $0.rol(.s32, .rax, imm: 1) }
        check("rol edx, cl", [0xD3, 0xC2]) { $0.rol(.s32, .rdx, .rcx) }
        check("rol edx, 5", [0xC1, 0xC2, 0x05]) { $0.rol(.s32, .rdx, imm: 5) }
        check("rol r10d, cl", [0x41, 0xD3, 0xC2]) { $0.rol(.s32, .r10, .rcx) }
        check("rol r10d, 31", [0x41, 0xC1, 0xC2, 0x1F]) { $0.rol(.s32, .r10, imm: 31) }
        check("rol edi, cl", [0xD3, 0xC7]) { $0.rol(.s32, .rdi, .rcx) }
        check("rol edi, 0", [0xC1, 0xC7, 0x00]) { $0.rol(.s32, .rdi, imm: 0) }
        check("rol rax, cl", [0x48, 0xD3, 0xC0]) { $0.rol(.s64, .rax, .rcx) }
        check("rol rax, 1", [0x48, 0xD1, 0xC0]) { $0.rol(.s64, .rax, imm: 1) }
        check("rol rdx, cl", [0x48, 0xD3, 0xC2]) { $0.rol(.s64, .rdx, .rcx) }
        check("rol rdx, 5", [0x48, 0xC1, 0xC2, 0x05]) { $0.rol(.s64, .rdx, imm: 5) }
        check("rol r10, cl", [0x49, 0xD3, 0xC2]) { $0.rol(.s64, .r10, .rcx) }
        check("rol r10, 63", [0x49, 0xC1, 0xC2, 0x3F]) { $0.rol(.s64, .r10, imm: 63) }
        check("rol rdi, cl", [0x48, 0xD3, 0xC7]) { $0.rol(.s64, .rdi, .rcx) }
        check("rol rdi, 0", [0x48, 0xC1, 0xC7, 0x00]) { $0.rol(.s64, .rdi, imm: 0) }
        check("ror eax, cl", [0xD3, 0xC8]) { $0.ror(.s32, .rax, .rcx) }
        check("ror eax, 1", [0xD1, 0xC8]) { $0.ror(.s32, .rax, imm: 1) }
        check("ror edx, cl", [0xD3, 0xCA]) { $0.ror(.s32, .rdx, .rcx) }
        check("ror edx, 5", [0xC1, 0xCA, 0x05]) { $0.ror(.s32, .rdx, imm: 5) }
        check("ror r10d, cl", [0x41, 0xD3, 0xCA]) { $0.ror(.s32, .r10, .rcx) }
        check("ror r10d, 31", [0x41, 0xC1, 0xCA, 0x1F]) { $0.ror(.s32, .r10, imm: 31) }
        check("ror edi, cl", [0xD3, 0xCF]) { $0.ror(.s32, .rdi, .rcx) }
        check("ror edi, 0", [0xC1, 0xCF, 0x00]) { $0.ror(.s32, .rdi, imm: 0) }
        check("ror rax, cl", [0x48, 0xD3, 0xC8]) { $0.ror(.s64, .rax, .rcx) }
        check("ror rax, 1", [0x48, 0xD1, 0xC8]) { $0.ror(.s64, .rax, imm: 1) }
        check("ror rdx, cl", [0x48, 0xD3, 0xCA]) { $0.ror(.s64, .rdx, .rcx) }
        check("ror rdx, 5", [0x48, 0xC1, 0xCA, 0x05]) { $0.ror(.s64, .rdx, imm: 5) }
        check("ror r10, cl", [0x49, 0xD3, 0xCA]) { $0.ror(.s64, .r10, .rcx) }
        check("ror r10, 63", [0x49, 0xC1, 0xCA, 0x3F]) { $0.ror(.s64, .r10, imm: 63) }
        check("ror rdi, cl", [0x48, 0xD3, 0xCF]) { $0.ror(.s64, .rdi, .rcx) }
        check("ror rdi, 0", [0x48, 0xC1, 0xCF, 0x00]) { $0.ror(.s64, .rdi, imm: 0) }
        check("sar r14, 63", [0x49, 0xC1, 0xFE, 0x3F]) { $0.shift(.sar, .s64, .r14, imm: 63) }
        check("rol ebx, cl", [0xD3, 0xC3]) { $0.shift(.rol, .s32, .rbx, .rcx) }
    }

    @Test func bitCounting() {
        check("lzcnt eax, ecx", [0xF3, 0x0F, 0xBD, 0xC1]) { $0.lzcnt(.s32, .rax, .rcx) }
        check("lzcnt r9d, edx", [0xF3, 0x44, 0x0F, 0xBD, 0xCA]) { $0.lzcnt(.s32, .r9, .rdx) }
        check("lzcnt ebx, r14d", [0xF3, 0x41, 0x0F, 0xBD, 0xDE]) { $0.lzcnt(.s32, .rbx, .r14) }
        check("lzcnt r15d, r12d", [0xF3, 0x45, 0x0F, 0xBD, 0xFC]) { $0.lzcnt(.s32, .r15, .r12) }
        check("lzcnt rax, rcx", [0xF3, 0x48, 0x0F, 0xBD, 0xC1]) { $0.lzcnt(.s64, .rax, .rcx) }
        check("lzcnt r9, rdx", [0xF3, 0x4C, 0x0F, 0xBD, 0xCA]) { $0.lzcnt(.s64, .r9, .rdx) }
        check("lzcnt rbx, r14", [0xF3, 0x49, 0x0F, 0xBD, 0xDE]) { $0.lzcnt(.s64, .rbx, .r14) }
        check("lzcnt r15, r12", [0xF3, 0x4D, 0x0F, 0xBD, 0xFC]) { $0.lzcnt(.s64, .r15, .r12) }
        check("tzcnt eax, ecx", [0xF3, 0x0F, 0xBC, 0xC1]) { $0.tzcnt(.s32, .rax, .rcx) }
        check("tzcnt r9d, edx", [0xF3, 0x44, 0x0F, 0xBC, 0xCA]) { $0.tzcnt(.s32, .r9, .rdx) }
        check("tzcnt ebx, r14d", [0xF3, 0x41, 0x0F, 0xBC, 0xDE]) { $0.tzcnt(.s32, .rbx, .r14) }
        check("tzcnt r15d, r12d", [0xF3, 0x45, 0x0F, 0xBC, 0xFC]) { $0.tzcnt(.s32, .r15, .r12) }
        check("tzcnt rax, rcx", [0xF3, 0x48, 0x0F, 0xBC, 0xC1]) { $0.tzcnt(.s64, .rax, .rcx) }
        check("tzcnt r9, rdx", [0xF3, 0x4C, 0x0F, 0xBC, 0xCA]) { $0.tzcnt(.s64, .r9, .rdx) }
        check("tzcnt rbx, r14", [0xF3, 0x49, 0x0F, 0xBC, 0xDE]) { $0.tzcnt(.s64, .rbx, .r14) }
        check("tzcnt r15, r12", [0xF3, 0x4D, 0x0F, 0xBC, 0xFC]) { $0.tzcnt(.s64, .r15, .r12) }
        check("popcnt eax, ecx", [0xF3, 0x0F, 0xB8, 0xC1]) { $0.popcnt(.s32, .rax, .rcx) }
        check("popcnt r9d, edx", [0xF3, 0x44, 0x0F, 0xB8, 0xCA]) { $0.popcnt(.s32, .r9, .rdx) }
        check("popcnt ebx, r14d", [0xF3, 0x41, 0x0F, 0xB8, 0xDE]) { $0.popcnt(.s32, .rbx, .r14) }
        check("popcnt r15d, r12d", [0xF3, 0x45, 0x0F, 0xB8, 0xFC]) { $0.popcnt(.s32, .r15, .r12) }
        check("popcnt rax, rcx", [0xF3, 0x48, 0x0F, 0xB8, 0xC1]) { $0.popcnt(.s64, .rax, .rcx) }
        check("popcnt r9, rdx", [0xF3, 0x4C, 0x0F, 0xB8, 0xCA]) { $0.popcnt(.s64, .r9, .rdx) }
        check("popcnt rbx, r14", [0xF3, 0x49, 0x0F, 0xB8, 0xDE]) { $0.popcnt(.s64, .rbx, .r14) }
        check("popcnt r15, r12", [0xF3, 0x4D, 0x0F, 0xB8, 0xFC]) { $0.popcnt(.s64, .r15, .r12) }
        check("bsr eax, ecx", [0x0F, 0xBD, 0xC1]) { $0.bsr(.s32, .rax, .rcx) }
        check("bsr r9d, edx", [0x44, 0x0F, 0xBD, 0xCA]) { $0.bsr(.s32, .r9, .rdx) }
        check("bsr ebx, r14d", [0x41, 0x0F, 0xBD, 0xDE]) { $0.bsr(.s32, .rbx, .r14) }
        check("bsr r15d, r12d", [0x45, 0x0F, 0xBD, 0xFC]) { $0.bsr(.s32, .r15, .r12) }
        check("bsr rax, rcx", [0x48, 0x0F, 0xBD, 0xC1]) { $0.bsr(.s64, .rax, .rcx) }
        check("bsr r9, rdx", [0x4C, 0x0F, 0xBD, 0xCA]) { $0.bsr(.s64, .r9, .rdx) }
        check("bsr rbx, r14", [0x49, 0x0F, 0xBD, 0xDE]) { $0.bsr(.s64, .rbx, .r14) }
        check("bsr r15, r12", [0x4D, 0x0F, 0xBD, 0xFC]) { $0.bsr(.s64, .r15, .r12) }
        check("bsf eax, ecx", [0x0F, 0xBC, 0xC1]) { $0.bsf(.s32, .rax, .rcx) }
        check("bsf r9d, edx", [0x44, 0x0F, 0xBC, 0xCA]) { $0.bsf(.s32, .r9, .rdx) }
        check("bsf ebx, r14d", [0x41, 0x0F, 0xBC, 0xDE]) { $0.bsf(.s32, .rbx, .r14) }
        check("bsf r15d, r12d", [0x45, 0x0F, 0xBC, 0xFC]) { $0.bsf(.s32, .r15, .r12) }
        check("bsf rax, rcx", [0x48, 0x0F, 0xBC, 0xC1]) { $0.bsf(.s64, .rax, .rcx) }
        check("bsf r9, rdx", [0x4C, 0x0F, 0xBC, 0xCA]) { $0.bsf(.s64, .r9, .rdx) }
        check("bsf rbx, r14", [0x49, 0x0F, 0xBC, 0xDE]) { $0.bsf(.s64, .rbx, .r14) }
        check("bsf r15, r12", [0x4D, 0x0F, 0xBC, 0xFC]) { $0.bsf(.s64, .r15, .r12) }
    }

    @Test func setcc() {
        check("seto al", [0x0F, 0x90, 0xC0]) { $0.setcc(.o, .rax) }
        check("setno al", [0x0F, 0x91, 0xC0]) { $0.setcc(.no, .rax) }
        check("setno cl", [0x0F, 0x91, 0xC1]) { $0.setcc(.no, .rcx) }
        check("setb al", [0x0F, 0x92, 0xC0]) { $0.setcc(.b, .rax) }
        check("setb bl", [0x0F, 0x92, 0xC3]) { $0.setcc(.b, .rbx) }
        check("setae al", [0x0F, 0x93, 0xC0]) { $0.setcc(.ae, .rax) }
        check("setae spl", [0x40, 0x0F, 0x93, 0xC4]) { $0.setcc(.ae, .rsp) }
        check("sete al", [0x0F, 0x94, 0xC0]) { $0.setcc(.e, .rax) }
        check("sete bpl", [0x40, 0x0F, 0x94, 0xC5]) { $0.setcc(.e, .rbp) }
        check("setne al", [0x0F, 0x95, 0xC0]) { $0.setcc(.ne, .rax) }
        check("setne sil", [0x40, 0x0F, 0x95, 0xC6]) { $0.setcc(.ne, .rsi) }
        check("setbe al", [0x0F, 0x96, 0xC0]) { $0.setcc(.be, .rax) }
        check("setbe dil", [0x40, 0x0F, 0x96, 0xC7]) { $0.setcc(.be, .rdi) }
        check("seta al", [0x0F, 0x97, 0xC0]) { $0.setcc(.a, .rax) }
        check("seta r8b", [0x41, 0x0F, 0x97, 0xC0]) { $0.setcc(.a, .r8) }
        check("sets al", [0x0F, 0x98, 0xC0]) { $0.setcc(.s, .rax) }
        check("sets r15b", [0x41, 0x0F, 0x98, 0xC7]) { $0.setcc(.s, .r15) }
        check("setns al", [0x0F, 0x99, 0xC0]) { $0.setcc(.ns, .rax) }
        check("setp al", [0x0F, 0x9A, 0xC0]) { $0.setcc(.p, .rax) }
        check("setp cl", [0x0F, 0x9A, 0xC1]) { $0.setcc(.p, .rcx) }
        check("setnp al", [0x0F, 0x9B, 0xC0]) { $0.setcc(.np, .rax) }
        check("setnp bl", [0x0F, 0x9B, 0xC3]) { $0.setcc(.np, .rbx) }
        check("setl al", [0x0F, 0x9C, 0xC0]) { $0.setcc(.l, .rax) }
        check("setl spl", [0x40, 0x0F, 0x9C, 0xC4]) { $0.setcc(.l, .rsp) }
        check("setge al", [0x0F, 0x9D, 0xC0]) { $0.setcc(.ge, .rax) }
        check("setge bpl", [0x40, 0x0F, 0x9D, 0xC5]) { $0.setcc(.ge, .rbp) }
        check("setle al", [0x0F, 0x9E, 0xC0]) { $0.setcc(.le, .rax) }
        check("setle sil", [0x40, 0x0F, 0x9E, 0xC6]) { $0.setcc(.le, .rsi) }
        check("setg al", [0x0F, 0x9F, 0xC0]) { $0.setcc(.g, .rax) }
        check("setg dil", [0x40, 0x0F, 0x9F, 0xC7]) { $0.setcc(.g, .rdi) }
        check("sete al", [0x0F, 0x94, 0xC0]) { $0.setcc(.e, .rax) }
        check("sete cl", [0x0F, 0x94, 0xC1]) { $0.setcc(.e, .rcx) }
        check("sete bl", [0x0F, 0x94, 0xC3]) { $0.setcc(.e, .rbx) }
        check("sete spl", [0x40, 0x0F, 0x94, 0xC4]) { $0.setcc(.e, .rsp) }
        check("sete bpl", [0x40, 0x0F, 0x94, 0xC5]) { $0.setcc(.e, .rbp) }
        check("sete sil", [0x40, 0x0F, 0x94, 0xC6]) { $0.setcc(.e, .rsi) }
        check("sete dil", [0x40, 0x0F, 0x94, 0xC7]) { $0.setcc(.e, .rdi) }
        check("sete r8b", [0x41, 0x0F, 0x94, 0xC0]) { $0.setcc(.e, .r8) }
        check("sete r15b", [0x41, 0x0F, 0x94, 0xC7]) { $0.setcc(.e, .r15) }
        check("setb dl", [0x0F, 0x92, 0xC2]) { $0.setcc(.c, .rdx) }
        check("setne r9b", [0x41, 0x0F, 0x95, 0xC1]) { $0.setcc(.nz, .r9) }
    }

    @Test func cmovcc() {
        check("cmovo r8d, edx", [0x44, 0x0F, 0x40, 0xC2]) { $0.cmovcc(.s32, .o, .r8, .rdx) }
        check("cmovo rbx, r15", [0x49, 0x0F, 0x40, 0xDF]) { $0.cmovcc(.s64, .o, .rbx, .r15) }
        check("cmovno ebx, r15d", [0x41, 0x0F, 0x41, 0xDF]) { $0.cmovcc(.s32, .no, .rbx, .r15) }
        check("cmovno r12, r13", [0x4D, 0x0F, 0x41, 0xE5]) { $0.cmovcc(.s64, .no, .r12, .r13) }
        check("cmovb r12d, r13d", [0x45, 0x0F, 0x42, 0xE5]) { $0.cmovcc(.s32, .b, .r12, .r13) }
        check("cmovb rax, rcx", [0x48, 0x0F, 0x42, 0xC1]) { $0.cmovcc(.s64, .b, .rax, .rcx) }
        check("cmovae eax, ecx", [0x0F, 0x43, 0xC1]) { $0.cmovcc(.s32, .ae, .rax, .rcx) }
        check("cmovae r8, rdx", [0x4C, 0x0F, 0x43, 0xC2]) { $0.cmovcc(.s64, .ae, .r8, .rdx) }
        check("cmove r8d, edx", [0x44, 0x0F, 0x44, 0xC2]) { $0.cmovcc(.s32, .e, .r8, .rdx) }
        check("cmove rbx, r15", [0x49, 0x0F, 0x44, 0xDF]) { $0.cmovcc(.s64, .e, .rbx, .r15) }
        check("cmovne ebx, r15d", [0x41, 0x0F, 0x45, 0xDF]) { $0.cmovcc(.s32, .ne, .rbx, .r15) }
        check("cmovne r12, r13", [0x4D, 0x0F, 0x45, 0xE5]) { $0.cmovcc(.s64, .ne, .r12, .r13) }
        check("cmovbe r12d, r13d", [0x45, 0x0F, 0x46, 0xE5]) { $0.cmovcc(.s32, .be, .r12, .r13) }
        check("cmovbe rax, rcx", [0x48, 0x0F, 0x46, 0xC1]) { $0.cmovcc(.s64, .be, .rax, .rcx) }
        check("cmova eax, ecx", [0x0F, 0x47, 0xC1]) { $0.cmovcc(.s32, .a, .rax, .rcx) }
        check("cmova r8, rdx", [0x4C, 0x0F, 0x47, 0xC2]) { $0.cmovcc(.s64, .a, .r8, .rdx) }
        check("cmovs r8d, edx", [0x44, 0x0F, 0x48, 0xC2]) { $0.cmovcc(.s32, .s, .r8, .rdx) }
        check("cmovs rbx, r15", [0x49, 0x0F, 0x48, 0xDF]) { $0.cmovcc(.s64, .s, .rbx, .r15) }
        check("cmovns ebx, r15d", [0x41, 0x0F, 0x49, 0xDF]) { $0.cmovcc(.s32, .ns, .rbx, .r15) }
        check("cmovns r12, r13", [0x4D, 0x0F, 0x49, 0xE5]) { $0.cmovcc(.s64, .ns, .r12, .r13) }
        check("cmovp r12d, r13d", [0x45, 0x0F, 0x4A, 0xE5]) { $0.cmovcc(.s32, .p, .r12, .r13) }
        check("cmovp rax, rcx", [0x48, 0x0F, 0x4A, 0xC1]) { $0.cmovcc(.s64, .p, .rax, .rcx) }
        check("cmovnp eax, ecx", [0x0F, 0x4B, 0xC1]) { $0.cmovcc(.s32, .np, .rax, .rcx) }
        check("cmovnp r8, rdx", [0x4C, 0x0F, 0x4B, 0xC2]) { $0.cmovcc(.s64, .np, .r8, .rdx) }
        check("cmovl r8d, edx", [0x44, 0x0F, 0x4C, 0xC2]) { $0.cmovcc(.s32, .l, .r8, .rdx) }
        check("cmovl rbx, r15", [0x49, 0x0F, 0x4C, 0xDF]) { $0.cmovcc(.s64, .l, .rbx, .r15) }
        check("cmovge ebx, r15d", [0x41, 0x0F, 0x4D, 0xDF]) { $0.cmovcc(.s32, .ge, .rbx, .r15) }
        check("cmovge r12, r13", [0x4D, 0x0F, 0x4D, 0xE5]) { $0.cmovcc(.s64, .ge, .r12, .r13) }
        check("cmovle r12d, r13d", [0x45, 0x0F, 0x4E, 0xE5]) { $0.cmovcc(.s32, .le, .r12, .r13) }
        check("cmovle rax, rcx", [0x48, 0x0F, 0x4E, 0xC1]) { $0.cmovcc(.s64, .le, .rax, .rcx) }
        check("cmovg eax, ecx", [0x0F, 0x4F, 0xC1]) { $0.cmovcc(.s32, .g, .rax, .rcx) }
        check("cmovg r8, rdx", [0x4C, 0x0F, 0x4F, 0xC2]) { $0.cmovcc(.s64, .g, .r8, .rdx) }
    }

    @Test func controlFlow() {
        check("jmp rax", [0xFF, 0xE0]) { $0.jmp(.rax) }
        check("call rax", [0xFF, 0xD0]) { $0.call(.rax) }
        check("jmp rcx", [0xFF, 0xE1]) { $0.jmp(.rcx) }
        check("call rcx", [0xFF, 0xD1]) { $0.call(.rcx) }
        check("jmp rsp", [0xFF, 0xE4]) { $0.jmp(.rsp) }
        check("call rsp", [0xFF, 0xD4]) { $0.call(.rsp) }
        check("jmp rbp", [0xFF, 0xE5]) { $0.jmp(.rbp) }
        check("call rbp", [0xFF, 0xD5]) { $0.call(.rbp) }
        check("jmp r8", [0x41, 0xFF, 0xE0]) { $0.jmp(.r8) }
        check("call r8", [0x41, 0xFF, 0xD0]) { $0.call(.r8) }
        check("jmp r12", [0x41, 0xFF, 0xE4]) { $0.jmp(.r12) }
        check("call r12", [0x41, 0xFF, 0xD4]) { $0.call(.r12) }
        check("jmp r13", [0x41, 0xFF, 0xE5]) { $0.jmp(.r13) }
        check("call r13", [0x41, 0xFF, 0xD5]) { $0.call(.r13) }
        check("jmp r15", [0x41, 0xFF, 0xE7]) { $0.jmp(.r15) }
        check("call r15", [0x41, 0xFF, 0xD7]) { $0.call(.r15) }
        check("call qword ptr [rax]", [0xFF, 0x10]) { $0.call(.base(.rax)) }
        check("jmp qword ptr [rax]", [0xFF, 0x20]) { $0.jmp(.base(.rax)) }
        check("call qword ptr [r12 + 8]", [0x41, 0xFF, 0x54, 0x24, 0x08]) { $0.call(.base(.r12, 8)) }
        check("jmp qword ptr [r12 + 8]", [0x41, 0xFF, 0x64, 0x24, 0x08]) { $0.jmp(.base(.r12, 8)) }
        check("call qword ptr [r13]", [0x41, 0xFF, 0x55, 0x00]) { $0.call(.base(.r13)) }
        check("jmp qword ptr [r13]", [0x41, 0xFF, 0x65, 0x00]) { $0.jmp(.base(.r13)) }
        check("call qword ptr [rbp - 129]", [0xFF, 0x95, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.call(.base(.rbp, -129)) }
        check("jmp qword ptr [rbp - 129]", [0xFF, 0xA5, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.jmp(.base(.rbp, -129)) }
        check("call qword ptr [rsp + r9*4 + 127]", [0x42, 0xFF, 0x54, 0x8C, 0x7F]) { $0.call(.base(.rsp, index: .r9, scale: 4, 127)) }
        check("jmp qword ptr [rsp + r9*4 + 127]", [0x42, 0xFF, 0x64, 0x8C, 0x7F]) { $0.jmp(.base(.rsp, index: .r9, scale: 4, 127)) }
        check("call qword ptr [rdx*2 + 256]", [0xFF, 0x14, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.call(.index(.rdx, scale: 2, 256)) }
        check("jmp qword ptr [rdx*2 + 256]", [0xFF, 0x24, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.jmp(.index(.rdx, scale: 2, 256)) }
        check("call qword ptr [r11 + 64]", [0x41, 0xFF, 0x53, 0x40]) { $0.call(.base(.r11, 64)) }
        check("jmp qword ptr [r11 + 64]", [0x41, 0xFF, 0x63, 0x40]) { $0.jmp(.base(.r11, 64)) }
        check("call qword ptr [rdi + rsi*8 + 8]", [0xFF, 0x54, 0xF7, 0x08]) { $0.call(.base(.rdi, index: .rsi, scale: 8, 8)) }
        check("jmp qword ptr [rdi + rsi*8 + 8]", [0xFF, 0x64, 0xF7, 0x08]) { $0.jmp(.base(.rdi, index: .rsi, scale: 8, 8)) }
        check("ret", [0xC3]) { $0.ret() }
        check("push rax", [0x50]) { $0.push(.rax) }
        check("pop rax", [0x58]) { $0.pop(.rax) }
        check("push rbx", [0x53]) { $0.push(.rbx) }
        check("pop rbx", [0x5B]) { $0.pop(.rbx) }
        check("push rsp", [0x54]) { $0.push(.rsp) }
        check("pop rsp", [0x5C]) { $0.pop(.rsp) }
        check("push rbp", [0x55]) { $0.push(.rbp) }
        check("pop rbp", [0x5D]) { $0.pop(.rbp) }
        check("push rdi", [0x57]) { $0.push(.rdi) }
        check("pop rdi", [0x5F]) { $0.pop(.rdi) }
        check("push r8", [0x41, 0x50]) { $0.push(.r8) }
        check("pop r8", [0x41, 0x58]) { $0.pop(.r8) }
        check("push r12", [0x41, 0x54]) { $0.push(.r12) }
        check("pop r12", [0x41, 0x5C]) { $0.pop(.r12) }
        check("push r13", [0x41, 0x55]) { $0.push(.r13) }
        check("pop r13", [0x41, 0x5D]) { $0.pop(.r13) }
        check("push r15", [0x41, 0x57]) { $0.push(.r15) }
        check("pop r15", [0x41, 0x5F]) { $0.pop(.r15) }
        check("push 0", [0x6A, 0x00]) { $0.push(imm: 0) }
        check("push 1", [0x6A, 0x01]) { $0.push(imm: 1) }
        check("push -1", [0x6A, 0xFF]) { $0.push(imm: -1) }
        check("push 127", [0x6A, 0x7F]) { $0.push(imm: 127) }
        check("push 128", [0x68, 0x80, 0x00, 0x00, 0x00]) { $0.push(imm: 128) }
        check("push -128", [0x6A, 0x80]) { $0.push(imm: -128) }
        check("push -129", [0x68, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.push(imm: -129) }
        check("push 0x12345678", [0x68, 0x78, 0x56, 0x34, 0x12]) { $0.push(imm: 0x12345678) }
        check("push -0x80000000", [0x68, 0x00, 0x00, 0x00, 0x80]) { $0.push(imm: -0x80000000) }
        check("ud2", [0x0F, 0x0B]) { $0.ud2() }
        check("int3", [0xCC]) { $0.int3() }
        check("nop", [0x90]) { $0.nop() }
        check("nop; ret; int3; ud2", [0x90, 0xC3, 0xCC, 0x0F, 0x0B]) { a in
            a.nop()
            a.ret()
            a.int3()
            a.ud2()
        }
    }

    @Test func nopsAndAlignment() {
        check("(nothing)", []) { $0.nop(length: 0) }
        check("nop", [0x90]) { $0.nop(length: 1) }
        check("xchg ax, ax", [0x66, 0x90]) { $0.nop(length: 2) }
        check("nop dword ptr [rax]", [0x0F, 0x1F, 0x00]) { $0.nop(length: 3) }
        check("{disp8} nop dword ptr [rax]", [0x0F, 0x1F, 0x40, 0x00]) { $0.nop(length: 4) }
        check("{disp8} nop dword ptr [rax + rax]", [0x0F, 0x1F, 0x44, 0x00, 0x00]) { $0.nop(length: 5) }
        check("{disp8} nop word ptr [rax + rax]", [0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00]) { $0.nop(length: 6) }
        check("{disp32} nop dword ptr [rax]", [0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00]) { $0.nop(length: 7) }
        check("{disp32} nop dword ptr [rax + rax]", [0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00]) { $0.nop(length: 8) }
        check("{disp32} nop word ptr [rax + rax]", [0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00]) { $0.nop(length: 9) }
        check("{disp32} nop word ptr [rax + rax]; nop dword ptr [rax]", [0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0F, 0x1F, 0x00]) { $0.nop(length: 12) }
        check("{disp32} nop word ptr [rax + rax]; {disp32} nop word ptr [rax + rax]; xchg ax, ax", [
            0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x66, 0x90,
        ]) { $0.nop(length: 20) }
        check(".p2align 4", []) { $0.align(16) }
        check("int3; .p2align 3", [0xCC, 0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00]) { a in
            a.emit(0xCC)
            a.align(8)
        }
        check("int3; int3; int3; .p2align 2", [0xCC, 0xCC, 0xCC, 0x90]) { a in
            a.emit(0xCC, 0xCC, 0xCC)
            a.align(4)
        }
        check("int3; int3; int3; int3; int3; int3; int3; .p2align 3", [0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0x90]) { a in
            a.emit(0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC)
            a.align(8)
        }
        check("int3; int3; int3; int3; int3; int3; int3; int3; .p2align 3", [0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC]) { a in
            a.emit(0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC)
            a.align(8)
        }
        check("int3; int3; int3; int3; int3; int3; int3; int3; int3; .p2align 4", [0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00]) { a in
            a.emit(0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC)
            a.align(16)
        }
        check("int3; int3; int3; int3; .p2align 3", [0xCC, 0xCC, 0xCC, 0xCC, 0x0F, 0x1F, 0x40, 0x00]) { a in
            a.emit(0xCC, 0xCC, 0xCC, 0xCC)
            a.align(8)
        }
        check("int3; int3; int3; int3; int3; int3; int3; int3; int3; int3; int3; int3; int3; .p2align 4", [0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0x0F, 0x1F, 0x00]) { a in
            a.emit(0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC)
            a.align(16)
        }
        check("int3; {disp32} nop word ptr [rax + rax]; {disp8} nop word ptr [rax + rax]", [0xCC, 0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00]) { a in
            a.int3()
            a.align(16)
        }
        check("ret; int3; int3; int3; int3; int3; int3; int3; int3; int3; int3; int3; int3; int3; int3; int3", [0xC3, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC]) { a in
            a.ret()
            a.align(16, with: .int3)
        }
        check("ret; int3; int3; int3", [0xC3, 0xCC, 0xCC, 0xCC]) { a in
            a.ret()
            a.align(4, with: .int3)
        }
    }

    @Test func labels() {
        check("{disp32} jmp .Lt; .Lt:", [0xE9, 0x00, 0x00, 0x00, 0x00]) { a in
            let l = a.newLabel()
            a.jmp(l)
            a.bind(l)
        }
        check("{disp32} jmp .Lt; nop; nop; .Lt: ret", [0xE9, 0x02, 0x00, 0x00, 0x00, 0x90, 0x90, 0xC3]) { a in
            let l = a.newLabel()
            a.jmp(l)
            a.nop()
            a.nop()
            a.bind(l)
            a.ret()
        }
        check(".Lt: {disp32} jmp .Lt", [0xE9, 0xFB, 0xFF, 0xFF, 0xFF]) { a in
            let l = a.newLabel()
            a.bind(l)
            a.jmp(l)
        }
        check("nop; .Lt: nop; nop; {disp32} jmp .Lt", [0x90, 0x90, 0x90, 0xE9, 0xF9, 0xFF, 0xFF, 0xFF]) { a in
            let l = a.newLabel()
            a.nop()
            a.bind(l)
            a.nop()
            a.nop()
            a.jmp(l)
        }
        check("{disp32} jo .Lt; int3; .Lt: ret", [0x0F, 0x80, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.o, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jno .Lt; int3; .Lt: ret", [0x0F, 0x81, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.no, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jb .Lt; int3; .Lt: ret", [0x0F, 0x82, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.b, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jae .Lt; int3; .Lt: ret", [0x0F, 0x83, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.ae, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} je .Lt; int3; .Lt: ret", [0x0F, 0x84, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.e, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jne .Lt; int3; .Lt: ret", [0x0F, 0x85, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.ne, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jbe .Lt; int3; .Lt: ret", [0x0F, 0x86, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.be, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} ja .Lt; int3; .Lt: ret", [0x0F, 0x87, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.a, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} js .Lt; int3; .Lt: ret", [0x0F, 0x88, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.s, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jns .Lt; int3; .Lt: ret", [0x0F, 0x89, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.ns, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jp .Lt; int3; .Lt: ret", [0x0F, 0x8A, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.p, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jnp .Lt; int3; .Lt: ret", [0x0F, 0x8B, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.np, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jl .Lt; int3; .Lt: ret", [0x0F, 0x8C, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.l, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jge .Lt; int3; .Lt: ret", [0x0F, 0x8D, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.ge, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jle .Lt; int3; .Lt: ret", [0x0F, 0x8E, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.le, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check("{disp32} jg .Lt; int3; .Lt: ret", [0x0F, 0x8F, 0x01, 0x00, 0x00, 0x00, 0xCC, 0xC3]) { a in
            let l = a.newLabel()
            a.jcc(.g, l)
            a.int3()
            a.bind(l)
            a.ret()
        }
        check(".Lt: nop; {disp32} jne .Lt", [0x90, 0x0F, 0x85, 0xF9, 0xFF, 0xFF, 0xFF]) { a in
            let l = a.newLabel()
            a.bind(l)
            a.nop()
            a.jcc(.ne, l)
        }
        check(".Lt: {disp32} jle .Lt", [0x0F, 0x8E, 0xFA, 0xFF, 0xFF, 0xFF]) { a in
            let l = a.newLabel()
            a.bind(l)
            a.jcc(.le, l)
        }
        check("call .Lt; ret; .Lt: ret", [0xE8, 0x01, 0x00, 0x00, 0x00, 0xC3, 0xC3]) { a in
            let l = a.newLabel()
            a.call(l)
            a.ret()
            a.bind(l)
            a.ret()
        }
        check(".Lt: push rbp; pop rbp; ret; call .Lt", [0x55, 0x5D, 0xC3, 0xE8, 0xF8, 0xFF, 0xFF, 0xFF]) { a in
            let l = a.newLabel()
            a.bind(l)
            a.push(.rbp)
            a.pop(.rbp)
            a.ret()
            a.call(l)
        }
        check("{disp32} jmp .Lx; {disp32} je .Ly; call .Lx; {disp32} jb .Lx; {disp32} jmp .Ly; .Lx: nop; {disp32} jmp .Lx; .Ly: ret; call .Ly", [
            0xE9, 0x16, 0x00, 0x00, 0x00, 0x0F, 0x84, 0x16, 0x00, 0x00, 0x00, 0xE8, 0x0B, 0x00, 0x00, 0x00,
            0x0F, 0x82, 0x05, 0x00, 0x00, 0x00, 0xE9, 0x06, 0x00, 0x00, 0x00, 0x90, 0xE9, 0xFA, 0xFF, 0xFF,
            0xFF, 0xC3, 0xE8, 0xFA, 0xFF, 0xFF, 0xFF,
        ]) { a in
            let x = a.newLabel()
            let y = a.newLabel()
            a.jmp(x)
            a.jcc(.e, y)
            a.call(x)
            a.jcc(.b, x)
            a.jmp(y)
            a.bind(x)
            a.nop()
            a.jmp(x)
            a.bind(y)
            a.ret()
            a.call(y)
        }
        check(".Lb: {disp32} jmp .Lf; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; movabs rax, 0x1122334455667788; .Lf: {disp32} jne .Lb", [
            0xE9, 0xC8, 0x00, 0x00, 0x00, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48,
            0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44,
            0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88,
            0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22,
            0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66,
            0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48,
            0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44,
            0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88,
            0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22,
            0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66,
            0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48,
            0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44,
            0x33, 0x22, 0x11, 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x0F, 0x85, 0x2D,
            0xFF, 0xFF, 0xFF,
        ]) { a in
            let b = a.newLabel()
            let f = a.newLabel()
            a.bind(b)
            a.jmp(f)
            for _ in 0..<20 { a.movabs(.rax, imm: 0x1122334455667788) }
            a.bind(f)
            a.jcc(.ne, b)
        }
        check("ret; .La: {disp32} jmp .La", [0xC3, 0xE9, 0xFB, 0xFF, 0xFF, 0xFF]) { a in
            _ = a.newLabel()
            a.ret()
            let l = a.newLabel()
            a.bind(l)
            a.jmp(l)
        }
    }

    @Test func sseMoves() {
        check("movss xmm0, dword ptr [rax]", [0xF3, 0x0F, 0x10, 0x00]) { $0.movss(.xmm0, .base(.rax)) }
        check("movss dword ptr [rax], xmm0", [0xF3, 0x0F, 0x11, 0x00]) { $0.movss(.base(.rax), .xmm0) }
        check("movsd xmm0, qword ptr [rax]", [0xF2, 0x0F, 0x10, 0x00]) { $0.movsd(.xmm0, .base(.rax)) }
        check("movsd qword ptr [rax], xmm0", [0xF2, 0x0F, 0x11, 0x00]) { $0.movsd(.base(.rax), .xmm0) }
        check("movdqu xmm0, xmmword ptr [rax]", [0xF3, 0x0F, 0x6F, 0x00]) { $0.movdqu(.xmm0, .base(.rax)) }
        check("movdqu xmmword ptr [rax], xmm0", [0xF3, 0x0F, 0x7F, 0x00]) { $0.movdqu(.base(.rax), .xmm0) }
        check("movss xmm7, dword ptr [r12 + 8]", [0xF3, 0x41, 0x0F, 0x10, 0x7C, 0x24, 0x08]) { $0.movss(.xmm7, .base(.r12, 8)) }
        check("movss dword ptr [r12 + 8], xmm7", [0xF3, 0x41, 0x0F, 0x11, 0x7C, 0x24, 0x08]) { $0.movss(.base(.r12, 8), .xmm7) }
        check("movsd xmm7, qword ptr [r12 + 8]", [0xF2, 0x41, 0x0F, 0x10, 0x7C, 0x24, 0x08]) { $0.movsd(.xmm7, .base(.r12, 8)) }
        check("movsd qword ptr [r12 + 8], xmm7", [0xF2, 0x41, 0x0F, 0x11, 0x7C, 0x24, 0x08]) { $0.movsd(.base(.r12, 8), .xmm7) }
        check("movdqu xmm7, xmmword ptr [r12 + 8]", [0xF3, 0x41, 0x0F, 0x6F, 0x7C, 0x24, 0x08]) { $0.movdqu(.xmm7, .base(.r12, 8)) }
        check("movdqu xmmword ptr [r12 + 8], xmm7", [0xF3, 0x41, 0x0F, 0x7F, 0x7C, 0x24, 0x08]) { $0.movdqu(.base(.r12, 8), .xmm7) }
        check("movss xmm8, dword ptr [r13]", [0xF3, 0x45, 0x0F, 0x10, 0x45, 0x00]) { $0.movss(.xmm8, .base(.r13)) }
        check("movss dword ptr [r13], xmm8", [0xF3, 0x45, 0x0F, 0x11, 0x45, 0x00]) { $0.movss(.base(.r13), .xmm8) }
        check("movsd xmm8, qword ptr [r13]", [0xF2, 0x45, 0x0F, 0x10, 0x45, 0x00]) { $0.movsd(.xmm8, .base(.r13)) }
        check("movsd qword ptr [r13], xmm8", [0xF2, 0x45, 0x0F, 0x11, 0x45, 0x00]) { $0.movsd(.base(.r13), .xmm8) }
        check("movdqu xmm8, xmmword ptr [r13]", [0xF3, 0x45, 0x0F, 0x6F, 0x45, 0x00]) { $0.movdqu(.xmm8, .base(.r13)) }
        check("movdqu xmmword ptr [r13], xmm8", [0xF3, 0x45, 0x0F, 0x7F, 0x45, 0x00]) { $0.movdqu(.base(.r13), .xmm8) }
        check("movss xmm15, dword ptr [rbp - 129]", [0xF3, 0x44, 0x0F, 0x10, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movss(.xmm15, .base(.rbp, -129)) }
        check("movss dword ptr [rbp - 129], xmm15", [0xF3, 0x44, 0x0F, 0x11, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movss(.base(.rbp, -129), .xmm15) }
        check("movsd xmm15, qword ptr [rbp - 129]", [0xF2, 0x44, 0x0F, 0x10, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movsd(.xmm15, .base(.rbp, -129)) }
        check("movsd qword ptr [rbp - 129], xmm15", [0xF2, 0x44, 0x0F, 0x11, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movsd(.base(.rbp, -129), .xmm15) }
        check("movdqu xmm15, xmmword ptr [rbp - 129]", [0xF3, 0x44, 0x0F, 0x6F, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movdqu(.xmm15, .base(.rbp, -129)) }
        check("movdqu xmmword ptr [rbp - 129], xmm15", [0xF3, 0x44, 0x0F, 0x7F, 0xBD, 0x7F, 0xFF, 0xFF, 0xFF]) { $0.movdqu(.base(.rbp, -129), .xmm15) }
        check("movss xmm3, dword ptr [rsp + r9*4 + 127]", [0xF3, 0x42, 0x0F, 0x10, 0x5C, 0x8C, 0x7F]) { $0.movss(.xmm3, .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movss dword ptr [rsp + r9*4 + 127], xmm3", [0xF3, 0x42, 0x0F, 0x11, 0x5C, 0x8C, 0x7F]) { $0.movss(.base(.rsp, index: .r9, scale: 4, 127), .xmm3) }
        check("movsd xmm3, qword ptr [rsp + r9*4 + 127]", [0xF2, 0x42, 0x0F, 0x10, 0x5C, 0x8C, 0x7F]) { $0.movsd(.xmm3, .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movsd qword ptr [rsp + r9*4 + 127], xmm3", [0xF2, 0x42, 0x0F, 0x11, 0x5C, 0x8C, 0x7F]) { $0.movsd(.base(.rsp, index: .r9, scale: 4, 127), .xmm3) }
        check("movdqu xmm3, xmmword ptr [rsp + r9*4 + 127]", [0xF3, 0x42, 0x0F, 0x6F, 0x5C, 0x8C, 0x7F]) { $0.movdqu(.xmm3, .base(.rsp, index: .r9, scale: 4, 127)) }
        check("movdqu xmmword ptr [rsp + r9*4 + 127], xmm3", [0xF3, 0x42, 0x0F, 0x7F, 0x5C, 0x8C, 0x7F]) { $0.movdqu(.base(.rsp, index: .r9, scale: 4, 127), .xmm3) }
        check("movss xmm12, dword ptr [rdx*2 + 256]", [0xF3, 0x44, 0x0F, 0x10, 0x24, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movss(.xmm12, .index(.rdx, scale: 2, 256)) }
        check("movss dword ptr [rdx*2 + 256], xmm12", [0xF3, 0x44, 0x0F, 0x11, 0x24, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movss(.index(.rdx, scale: 2, 256), .xmm12) }
        check("movsd xmm12, qword ptr [rdx*2 + 256]", [0xF2, 0x44, 0x0F, 0x10, 0x24, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movsd(.xmm12, .index(.rdx, scale: 2, 256)) }
        check("movsd qword ptr [rdx*2 + 256], xmm12", [0xF2, 0x44, 0x0F, 0x11, 0x24, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movsd(.index(.rdx, scale: 2, 256), .xmm12) }
        check("movdqu xmm12, xmmword ptr [rdx*2 + 256]", [0xF3, 0x44, 0x0F, 0x6F, 0x24, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movdqu(.xmm12, .index(.rdx, scale: 2, 256)) }
        check("movdqu xmmword ptr [rdx*2 + 256], xmm12", [0xF3, 0x44, 0x0F, 0x7F, 0x24, 0x55, 0x00, 0x01, 0x00, 0x00]) { $0.movdqu(.index(.rdx, scale: 2, 256), .xmm12) }
        check("movss xmm1, dword ptr [rbx + 128]", [0xF3, 0x0F, 0x10, 0x8B, 0x80, 0x00, 0x00, 0x00]) { $0.movss(.xmm1, .base(.rbx, 128)) }
        check("movss dword ptr [rbx + 128], xmm1", [0xF3, 0x0F, 0x11, 0x8B, 0x80, 0x00, 0x00, 0x00]) { $0.movss(.base(.rbx, 128), .xmm1) }
        check("movsd xmm1, qword ptr [rbx + 128]", [0xF2, 0x0F, 0x10, 0x8B, 0x80, 0x00, 0x00, 0x00]) { $0.movsd(.xmm1, .base(.rbx, 128)) }
        check("movsd qword ptr [rbx + 128], xmm1", [0xF2, 0x0F, 0x11, 0x8B, 0x80, 0x00, 0x00, 0x00]) { $0.movsd(.base(.rbx, 128), .xmm1) }
        check("movdqu xmm1, xmmword ptr [rbx + 128]", [0xF3, 0x0F, 0x6F, 0x8B, 0x80, 0x00, 0x00, 0x00]) { $0.movdqu(.xmm1, .base(.rbx, 128)) }
        check("movdqu xmmword ptr [rbx + 128], xmm1", [0xF3, 0x0F, 0x7F, 0x8B, 0x80, 0x00, 0x00, 0x00]) { $0.movdqu(.base(.rbx, 128), .xmm1) }
        check("movss xmm9, dword ptr [r13 + r12*4 - 4]", [0xF3, 0x47, 0x0F, 0x10, 0x4C, 0xA5, 0xFC]) { $0.movss(.xmm9, .base(.r13, index: .r12, scale: 4, -4)) }
        check("movss dword ptr [r13 + r12*4 - 4], xmm9", [0xF3, 0x47, 0x0F, 0x11, 0x4C, 0xA5, 0xFC]) { $0.movss(.base(.r13, index: .r12, scale: 4, -4), .xmm9) }
        check("movsd xmm9, qword ptr [r13 + r12*4 - 4]", [0xF2, 0x47, 0x0F, 0x10, 0x4C, 0xA5, 0xFC]) { $0.movsd(.xmm9, .base(.r13, index: .r12, scale: 4, -4)) }
        check("movsd qword ptr [r13 + r12*4 - 4], xmm9", [0xF2, 0x47, 0x0F, 0x11, 0x4C, 0xA5, 0xFC]) { $0.movsd(.base(.r13, index: .r12, scale: 4, -4), .xmm9) }
        check("movdqu xmm9, xmmword ptr [r13 + r12*4 - 4]", [0xF3, 0x47, 0x0F, 0x6F, 0x4C, 0xA5, 0xFC]) { $0.movdqu(.xmm9, .base(.r13, index: .r12, scale: 4, -4)) }
        check("movdqu xmmword ptr [r13 + r12*4 - 4], xmm9", [0xF3, 0x47, 0x0F, 0x7F, 0x4C, 0xA5, 0xFC]) { $0.movdqu(.base(.r13, index: .r12, scale: 4, -4), .xmm9) }
        check("movss xmm0, xmm1", [0xF3, 0x0F, 0x10, 0xC1]) { $0.movss(.xmm0, .xmm1) }
        check("movsd xmm0, xmm1", [0xF2, 0x0F, 0x10, 0xC1]) { $0.movsd(.xmm0, .xmm1) }
        check("movaps xmm0, xmm1", [0x0F, 0x28, 0xC1]) { $0.movaps(.xmm0, .xmm1) }
        check("movapd xmm0, xmm1", [0x66, 0x0F, 0x28, 0xC1]) { $0.movapd(.xmm0, .xmm1) }
        check("movss xmm8, xmm1", [0xF3, 0x44, 0x0F, 0x10, 0xC1]) { $0.movss(.xmm8, .xmm1) }
        check("movsd xmm8, xmm1", [0xF2, 0x44, 0x0F, 0x10, 0xC1]) { $0.movsd(.xmm8, .xmm1) }
        check("movaps xmm8, xmm1", [0x44, 0x0F, 0x28, 0xC1]) { $0.movaps(.xmm8, .xmm1) }
        check("movapd xmm8, xmm1", [0x66, 0x44, 0x0F, 0x28, 0xC1]) { $0.movapd(.xmm8, .xmm1) }
        check("movss xmm2, xmm15", [0xF3, 0x41, 0x0F, 0x10, 0xD7]) { $0.movss(.xmm2, .xmm15) }
        check("movsd xmm2, xmm15", [0xF2, 0x41, 0x0F, 0x10, 0xD7]) { $0.movsd(.xmm2, .xmm15) }
        check("movaps xmm2, xmm15", [0x41, 0x0F, 0x28, 0xD7]) { $0.movaps(.xmm2, .xmm15) }
        check("movapd xmm2, xmm15", [0x66, 0x41, 0x0F, 0x28, 0xD7]) { $0.movapd(.xmm2, .xmm15) }
        check("movss xmm9, xmm10", [0xF3, 0x45, 0x0F, 0x10, 0xCA]) { $0.movss(.xmm9, .xmm10) }
        check("movsd xmm9, xmm10", [0xF2, 0x45, 0x0F, 0x10, 0xCA]) { $0.movsd(.xmm9, .xmm10) }
        check("movaps xmm9, xmm10", [0x45, 0x0F, 0x28, 0xCA]) { $0.movaps(.xmm9, .xmm10) }
        check("movapd xmm9, xmm10", [0x66, 0x45, 0x0F, 0x28, 0xCA]) { $0.movapd(.xmm9, .xmm10) }
        check("movd xmm0, eax", [0x66, 0x0F, 0x6E, 0xC0]) { $0.movd(.xmm0, .rax) }
        check("movd eax, xmm0", [0x66, 0x0F, 0x7E, 0xC0]) { $0.movd(.rax, .xmm0) }
        check("movq xmm0, rax", [0x66, 0x48, 0x0F, 0x6E, 0xC0]) { $0.movq(.xmm0, .rax) }
        check("movq rax, xmm0", [0x66, 0x48, 0x0F, 0x7E, 0xC0]) { $0.movq(.rax, .xmm0) }
        check("movd xmm1, r8d", [0x66, 0x41, 0x0F, 0x6E, 0xC8]) { $0.movd(.xmm1, .r8) }
        check("movd r8d, xmm1", [0x66, 0x41, 0x0F, 0x7E, 0xC8]) { $0.movd(.r8, .xmm1) }
        check("movq xmm1, r8", [0x66, 0x49, 0x0F, 0x6E, 0xC8]) { $0.movq(.xmm1, .r8) }
        check("movq r8, xmm1", [0x66, 0x49, 0x0F, 0x7E, 0xC8]) { $0.movq(.r8, .xmm1) }
        check("movd xmm15, ecx", [0x66, 0x44, 0x0F, 0x6E, 0xF9]) { $0.movd(.xmm15, .rcx) }
        check("movd ecx, xmm15", [0x66, 0x44, 0x0F, 0x7E, 0xF9]) { $0.movd(.rcx, .xmm15) }
        check("movq xmm15, rcx", [0x66, 0x4C, 0x0F, 0x6E, 0xF9]) { $0.movq(.xmm15, .rcx) }
        check("movq rcx, xmm15", [0x66, 0x4C, 0x0F, 0x7E, 0xF9]) { $0.movq(.rcx, .xmm15) }
        check("movd xmm9, r15d", [0x66, 0x45, 0x0F, 0x6E, 0xCF]) { $0.movd(.xmm9, .r15) }
        check("movd r15d, xmm9", [0x66, 0x45, 0x0F, 0x7E, 0xCF]) { $0.movd(.r15, .xmm9) }
        check("movq xmm9, r15", [0x66, 0x4D, 0x0F, 0x6E, 0xCF]) { $0.movq(.xmm9, .r15) }
        check("movq r15, xmm9", [0x66, 0x4D, 0x0F, 0x7E, 0xCF]) { $0.movq(.r15, .xmm9) }
        check("movd xmm4, esp", [0x66, 0x0F, 0x6E, 0xE4]) { $0.movd(.xmm4, .rsp) }
        check("movd esp, xmm4", [0x66, 0x0F, 0x7E, 0xE4]) { $0.movd(.rsp, .xmm4) }
        check("movq xmm4, rsp", [0x66, 0x48, 0x0F, 0x6E, 0xE4]) { $0.movq(.xmm4, .rsp) }
        check("movq rsp, xmm4", [0x66, 0x48, 0x0F, 0x7E, 0xE4]) { $0.movq(.rsp, .xmm4) }
    }

    @Test func sseArithmetic() {
        check("addss xmm0, xmm1", [0xF3, 0x0F, 0x58, 0xC1]) { $0.addss(.xmm0, .xmm1) }
        check("addss xmm8, xmm1", [0xF3, 0x44, 0x0F, 0x58, 0xC1]) { $0.addss(.xmm8, .xmm1) }
        check("addss xmm2, xmm15", [0xF3, 0x41, 0x0F, 0x58, 0xD7]) { $0.addss(.xmm2, .xmm15) }
        check("addss xmm9, xmm10", [0xF3, 0x45, 0x0F, 0x58, 0xCA]) { $0.addss(.xmm9, .xmm10) }
        check("subss xmm0, xmm1", [0xF3, 0x0F, 0x5C, 0xC1]) { $0.subss(.xmm0, .xmm1) }
        check("subss xmm8, xmm1", [0xF3, 0x44, 0x0F, 0x5C, 0xC1]) { $0.subss(.xmm8, .xmm1) }
        check("subss xmm2, xmm15", [0xF3, 0x41, 0x0F, 0x5C, 0xD7]) { $0.subss(.xmm2, .xmm15) }
        check("subss xmm9, xmm10", [0xF3, 0x45, 0x0F, 0x5C, 0xCA]) { $0.subss(.xmm9, .xmm10) }
        check("mulss xmm0, xmm1", [0xF3, 0x0F, 0x59, 0xC1]) { $0.mulss(.xmm0, .xmm1) }
        check("mulss xmm8, xmm1", [0xF3, 0x44, 0x0F, 0x59, 0xC1]) { $0.mulss(.xmm8, .xmm1) }
        check("mulss xmm2, xmm15", [0xF3, 0x41, 0x0F, 0x59, 0xD7]) { $0.mulss(.xmm2, .xmm15) }
        check("mulss xmm9, xmm10", [0xF3, 0x45, 0x0F, 0x59, 0xCA]) { $0.mulss(.xmm9, .xmm10) }
        check("divss xmm0, xmm1", [0xF3, 0x0F, 0x5E, 0xC1]) { $0.divss(.xmm0, .xmm1) }
        check("divss xmm8, xmm1", [0xF3, 0x44, 0x0F, 0x5E, 0xC1]) { $0.divss(.xmm8, .xmm1) }
        check("divss xmm2, xmm15", [0xF3, 0x41, 0x0F, 0x5E, 0xD7]) { $0.divss(.xmm2, .xmm15) }
        check("divss xmm9, xmm10", [0xF3, 0x45, 0x0F, 0x5E, 0xCA]) { $0.divss(.xmm9, .xmm10) }
        check("sqrtss xmm0, xmm1", [0xF3, 0x0F, 0x51, 0xC1]) { $0.sqrtss(.xmm0, .xmm1) }
        check("sqrtss xmm8, xmm1", [0xF3, 0x44, 0x0F, 0x51, 0xC1]) { $0.sqrtss(.xmm8, .xmm1) }
        check("sqrtss xmm2, xmm15", [0xF3, 0x41, 0x0F, 0x51, 0xD7]) { $0.sqrtss(.xmm2, .xmm15) }
        check("sqrtss xmm9, xmm10", [0xF3, 0x45, 0x0F, 0x51, 0xCA]) { $0.sqrtss(.xmm9, .xmm10) }
        check("minss xmm0, xmm1", [0xF3, 0x0F, 0x5D, 0xC1]) { $0.minss(.xmm0, .xmm1) }
        check("minss xmm8, xmm1", [0xF3, 0x44, 0x0F, 0x5D, 0xC1]) { $0.minss(.xmm8, .xmm1) }
        check("minss xmm2, xmm15", [0xF3, 0x41, 0x0F, 0x5D, 0xD7]) { $0.minss(.xmm2, .xmm15) }
        check("minss xmm9, xmm10", [0xF3, 0x45, 0x0F, 0x5D, 0xCA]) { $0.minss(.xmm9, .xmm10) }
        check("maxss xmm0, xmm1", [0xF3, 0x0F, 0x5F, 0xC1]) { $0.maxss(.xmm0, .xmm1) }
        check("maxss xmm8, xmm1", [0xF3, 0x44, 0x0F, 0x5F, 0xC1]) { $0.maxss(.xmm8, .xmm1) }
        check("maxss xmm2, xmm15", [0xF3, 0x41, 0x0F, 0x5F, 0xD7]) { $0.maxss(.xmm2, .xmm15) }
        check("maxss xmm9, xmm10", [0xF3, 0x45, 0x0F, 0x5F, 0xCA]) { $0.maxss(.xmm9, .xmm10) }
        check("addsd xmm0, xmm1", [0xF2, 0x0F, 0x58, 0xC1]) { $0.addsd(.xmm0, .xmm1) }
        check("addsd xmm8, xmm1", [0xF2, 0x44, 0x0F, 0x58, 0xC1]) { $0.addsd(.xmm8, .xmm1) }
        check("addsd xmm2, xmm15", [0xF2, 0x41, 0x0F, 0x58, 0xD7]) { $0.addsd(.xmm2, .xmm15) }
        check("addsd xmm9, xmm10", [0xF2, 0x45, 0x0F, 0x58, 0xCA]) { $0.addsd(.xmm9, .xmm10) }
        check("subsd xmm0, xmm1", [0xF2, 0x0F, 0x5C, 0xC1]) { $0.subsd(.xmm0, .xmm1) }
        check("subsd xmm8, xmm1", [0xF2, 0x44, 0x0F, 0x5C, 0xC1]) { $0.subsd(.xmm8, .xmm1) }
        check("subsd xmm2, xmm15", [0xF2, 0x41, 0x0F, 0x5C, 0xD7]) { $0.subsd(.xmm2, .xmm15) }
        check("subsd xmm9, xmm10", [0xF2, 0x45, 0x0F, 0x5C, 0xCA]) { $0.subsd(.xmm9, .xmm10) }
        check("mulsd xmm0, xmm1", [0xF2, 0x0F, 0x59, 0xC1]) { $0.mulsd(.xmm0, .xmm1) }
        check("mulsd xmm8, xmm1", [0xF2, 0x44, 0x0F, 0x59, 0xC1]) { $0.mulsd(.xmm8, .xmm1) }
        check("mulsd xmm2, xmm15", [0xF2, 0x41, 0x0F, 0x59, 0xD7]) { $0.mulsd(.xmm2, .xmm15) }
        check("mulsd xmm9, xmm10", [0xF2, 0x45, 0x0F, 0x59, 0xCA]) { $0.mulsd(.xmm9, .xmm10) }
        check("divsd xmm0, xmm1", [0xF2, 0x0F, 0x5E, 0xC1]) { $0.divsd(.xmm0, .xmm1) }
        check("divsd xmm8, xmm1", [0xF2, 0x44, 0x0F, 0x5E, 0xC1]) { $0.divsd(.xmm8, .xmm1) }
        check("divsd xmm2, xmm15", [0xF2, 0x41, 0x0F, 0x5E, 0xD7]) { $0.divsd(.xmm2, .xmm15) }
        check("divsd xmm9, xmm10", [0xF2, 0x45, 0x0F, 0x5E, 0xCA]) { $0.divsd(.xmm9, .xmm10) }
        check("sqrtsd xmm0, xmm1", [0xF2, 0x0F, 0x51, 0xC1]) { $0.sqrtsd(.xmm0, .xmm1) }
        check("sqrtsd xmm8, xmm1", [0xF2, 0x44, 0x0F, 0x51, 0xC1]) { $0.sqrtsd(.xmm8, .xmm1) }
        check("sqrtsd xmm2, xmm15", [0xF2, 0x41, 0x0F, 0x51, 0xD7]) { $0.sqrtsd(.xmm2, .xmm15) }
        check("sqrtsd xmm9, xmm10", [0xF2, 0x45, 0x0F, 0x51, 0xCA]) { $0.sqrtsd(.xmm9, .xmm10) }
        check("minsd xmm0, xmm1", [0xF2, 0x0F, 0x5D, 0xC1]) { $0.minsd(.xmm0, .xmm1) }
        check("minsd xmm8, xmm1", [0xF2, 0x44, 0x0F, 0x5D, 0xC1]) { $0.minsd(.xmm8, .xmm1) }
        check("minsd xmm2, xmm15", [0xF2, 0x41, 0x0F, 0x5D, 0xD7]) { $0.minsd(.xmm2, .xmm15) }
        check("minsd xmm9, xmm10", [0xF2, 0x45, 0x0F, 0x5D, 0xCA]) { $0.minsd(.xmm9, .xmm10) }
        check("maxsd xmm0, xmm1", [0xF2, 0x0F, 0x5F, 0xC1]) { $0.maxsd(.xmm0, .xmm1) }
        check("maxsd xmm8, xmm1", [0xF2, 0x44, 0x0F, 0x5F, 0xC1]) { $0.maxsd(.xmm8, .xmm1) }
        check("maxsd xmm2, xmm15", [0xF2, 0x41, 0x0F, 0x5F, 0xD7]) { $0.maxsd(.xmm2, .xmm15) }
        check("maxsd xmm9, xmm10", [0xF2, 0x45, 0x0F, 0x5F, 0xCA]) { $0.maxsd(.xmm9, .xmm10) }
    }

    @Test func sseCompare() {
        check("ucomiss xmm0, xmm1", [0x0F, 0x2E, 0xC1]) { $0.ucomiss(.xmm0, .xmm1) }
        check("ucomiss xmm8, xmm1", [0x44, 0x0F, 0x2E, 0xC1]) { $0.ucomiss(.xmm8, .xmm1) }
        check("ucomiss xmm2, xmm15", [0x41, 0x0F, 0x2E, 0xD7]) { $0.ucomiss(.xmm2, .xmm15) }
        check("ucomiss xmm9, xmm10", [0x45, 0x0F, 0x2E, 0xCA]) { $0.ucomiss(.xmm9, .xmm10) }
        check("ucomisd xmm0, xmm1", [0x66, 0x0F, 0x2E, 0xC1]) { $0.ucomisd(.xmm0, .xmm1) }
        check("ucomisd xmm8, xmm1", [0x66, 0x44, 0x0F, 0x2E, 0xC1]) { $0.ucomisd(.xmm8, .xmm1) }
        check("ucomisd xmm2, xmm15", [0x66, 0x41, 0x0F, 0x2E, 0xD7]) { $0.ucomisd(.xmm2, .xmm15) }
        check("ucomisd xmm9, xmm10", [0x66, 0x45, 0x0F, 0x2E, 0xCA]) { $0.ucomisd(.xmm9, .xmm10) }
        check("comiss xmm0, xmm1", [0x0F, 0x2F, 0xC1]) { $0.comiss(.xmm0, .xmm1) }
        check("comiss xmm8, xmm1", [0x44, 0x0F, 0x2F, 0xC1]) { $0.comiss(.xmm8, .xmm1) }
        check("comiss xmm2, xmm15", [0x41, 0x0F, 0x2F, 0xD7]) { $0.comiss(.xmm2, .xmm15) }
        check("comiss xmm9, xmm10", [0x45, 0x0F, 0x2F, 0xCA]) { $0.comiss(.xmm9, .xmm10) }
        check("comisd xmm0, xmm1", [0x66, 0x0F, 0x2F, 0xC1]) { $0.comisd(.xmm0, .xmm1) }
        check("comisd xmm8, xmm1", [0x66, 0x44, 0x0F, 0x2F, 0xC1]) { $0.comisd(.xmm8, .xmm1) }
        check("comisd xmm2, xmm15", [0x66, 0x41, 0x0F, 0x2F, 0xD7]) { $0.comisd(.xmm2, .xmm15) }
        check("comisd xmm9, xmm10", [0x66, 0x45, 0x0F, 0x2F, 0xCA]) { $0.comisd(.xmm9, .xmm10) }
    }

    @Test func sseLogic() {
        check("andps xmm0, xmm1", [0x0F, 0x54, 0xC1]) { $0.andps(.xmm0, .xmm1) }
        check("andps xmm8, xmm1", [0x44, 0x0F, 0x54, 0xC1]) { $0.andps(.xmm8, .xmm1) }
        check("andps xmm2, xmm15", [0x41, 0x0F, 0x54, 0xD7]) { $0.andps(.xmm2, .xmm15) }
        check("andps xmm9, xmm10", [0x45, 0x0F, 0x54, 0xCA]) { $0.andps(.xmm9, .xmm10) }
        check("andnps xmm0, xmm1", [0x0F, 0x55, 0xC1]) { $0.andnps(.xmm0, .xmm1) }
        check("andnps xmm8, xmm1", [0x44, 0x0F, 0x55, 0xC1]) { $0.andnps(.xmm8, .xmm1) }
        check("andnps xmm2, xmm15", [0x41, 0x0F, 0x55, 0xD7]) { $0.andnps(.xmm2, .xmm15) }
        check("andnps xmm9, xmm10", [0x45, 0x0F, 0x55, 0xCA]) { $0.andnps(.xmm9, .xmm10) }
        check("orps xmm0, xmm1", [0x0F, 0x56, 0xC1]) { $0.orps(.xmm0, .xmm1) }
        check("orps xmm8, xmm1", [0x44, 0x0F, 0x56, 0xC1]) { $0.orps(.xmm8, .xmm1) }
        check("orps xmm2, xmm15", [0x41, 0x0F, 0x56, 0xD7]) { $0.orps(.xmm2, .xmm15) }
        check("orps xmm9, xmm10", [0x45, 0x0F, 0x56, 0xCA]) { $0.orps(.xmm9, .xmm10) }
        check("xorps xmm0, xmm1", [0x0F, 0x57, 0xC1]) { $0.xorps(.xmm0, .xmm1) }
        check("xorps xmm8, xmm1", [0x44, 0x0F, 0x57, 0xC1]) { $0.xorps(.xmm8, .xmm1) }
        check("xorps xmm2, xmm15", [0x41, 0x0F, 0x57, 0xD7]) { $0.xorps(.xmm2, .xmm15) }
        check("xorps xmm9, xmm10", [0x45, 0x0F, 0x57, 0xCA]) { $0.xorps(.xmm9, .xmm10) }
        check("andpd xmm0, xmm1", [0x66, 0x0F, 0x54, 0xC1]) { $0.andpd(.xmm0, .xmm1) }
        check("andpd xmm8, xmm1", [0x66, 0x44, 0x0F, 0x54, 0xC1]) { $0.andpd(.xmm8, .xmm1) }
        check("andpd xmm2, xmm15", [0x66, 0x41, 0x0F, 0x54, 0xD7]) { $0.andpd(.xmm2, .xmm15) }
        check("andpd xmm9, xmm10", [0x66, 0x45, 0x0F, 0x54, 0xCA]) { $0.andpd(.xmm9, .xmm10) }
        check("andnpd xmm0, xmm1", [0x66, 0x0F, 0x55, 0xC1]) { $0.andnpd(.xmm0, .xmm1) }
        check("andnpd xmm8, xmm1", [0x66, 0x44, 0x0F, 0x55, 0xC1]) { $0.andnpd(.xmm8, .xmm1) }
        check("andnpd xmm2, xmm15", [0x66, 0x41, 0x0F, 0x55, 0xD7]) { $0.andnpd(.xmm2, .xmm15) }
        check("andnpd xmm9, xmm10", [0x66, 0x45, 0x0F, 0x55, 0xCA]) { $0.andnpd(.xmm9, .xmm10) }
        check("orpd xmm0, xmm1", [0x66, 0x0F, 0x56, 0xC1]) { $0.orpd(.xmm0, .xmm1) }
        check("orpd xmm8, xmm1", [0x66, 0x44, 0x0F, 0x56, 0xC1]) { $0.orpd(.xmm8, .xmm1) }
        check("orpd xmm2, xmm15", [0x66, 0x41, 0x0F, 0x56, 0xD7]) { $0.orpd(.xmm2, .xmm15) }
        check("orpd xmm9, xmm10", [0x66, 0x45, 0x0F, 0x56, 0xCA]) { $0.orpd(.xmm9, .xmm10) }
        check("xorpd xmm0, xmm1", [0x66, 0x0F, 0x57, 0xC1]) { $0.xorpd(.xmm0, .xmm1) }
        check("xorpd xmm8, xmm1", [0x66, 0x44, 0x0F, 0x57, 0xC1]) { $0.xorpd(.xmm8, .xmm1) }
        check("xorpd xmm2, xmm15", [0x66, 0x41, 0x0F, 0x57, 0xD7]) { $0.xorpd(.xmm2, .xmm15) }
        check("xorpd xmm9, xmm10", [0x66, 0x45, 0x0F, 0x57, 0xCA]) { $0.xorpd(.xmm9, .xmm10) }
        check("pxor xmm0, xmm1", [0x66, 0x0F, 0xEF, 0xC1]) { $0.pxor(.xmm0, .xmm1) }
        check("pxor xmm8, xmm1", [0x66, 0x44, 0x0F, 0xEF, 0xC1]) { $0.pxor(.xmm8, .xmm1) }
        check("pxor xmm2, xmm15", [0x66, 0x41, 0x0F, 0xEF, 0xD7]) { $0.pxor(.xmm2, .xmm15) }
        check("pxor xmm9, xmm10", [0x66, 0x45, 0x0F, 0xEF, 0xCA]) { $0.pxor(.xmm9, .xmm10) }
    }

    @Test func sseConversions() {
        check("cvtsi2ss xmm0, eax", [0xF3, 0x0F, 0x2A, 0xC0]) { $0.cvtsi2ss(.s32, .xmm0, .rax) }
        check("cvtsi2sd xmm0, eax", [0xF2, 0x0F, 0x2A, 0xC0]) { $0.cvtsi2sd(.s32, .xmm0, .rax) }
        check("cvttss2si eax, xmm0", [0xF3, 0x0F, 0x2C, 0xC0]) { $0.cvttss2si(.s32, .rax, .xmm0) }
        check("cvttsd2si eax, xmm0", [0xF2, 0x0F, 0x2C, 0xC0]) { $0.cvttsd2si(.s32, .rax, .xmm0) }
        check("cvtsi2ss xmm1, r8d", [0xF3, 0x41, 0x0F, 0x2A, 0xC8]) { $0.cvtsi2ss(.s32, .xmm1, .r8) }
        check("cvtsi2sd xmm1, r8d", [0xF2, 0x41, 0x0F, 0x2A, 0xC8]) { $0.cvtsi2sd(.s32, .xmm1, .r8) }
        check("cvttss2si r8d, xmm1", [0xF3, 0x44, 0x0F, 0x2C, 0xC1]) { $0.cvttss2si(.s32, .r8, .xmm1) }
        check("cvttsd2si r8d, xmm1", [0xF2, 0x44, 0x0F, 0x2C, 0xC1]) { $0.cvttsd2si(.s32, .r8, .xmm1) }
        check("cvtsi2ss xmm15, ecx", [0xF3, 0x44, 0x0F, 0x2A, 0xF9]) { $0.cvtsi2ss(.s32, .xmm15, .rcx) }
        check("cvtsi2sd xmm15, ecx", [0xF2, 0x44, 0x0F, 0x2A, 0xF9]) { $0.cvtsi2sd(.s32, .xmm15, .rcx) }
        check("cvttss2si ecx, xmm15", [0xF3, 0x41, 0x0F, 0x2C, 0xCF]) { $0.cvttss2si(.s32, .rcx, .xmm15) }
        check("cvttsd2si ecx, xmm15", [0xF2, 0x41, 0x0F, 0x2C, 0xCF]) { $0.cvttsd2si(.s32, .rcx, .xmm15) }
        check("cvtsi2ss xmm9, r15d", [0xF3, 0x45, 0x0F, 0x2A, 0xCF]) { $0.cvtsi2ss(.s32, .xmm9, .r15) }
        check("cvtsi2sd xmm9, r15d", [0xF2, 0x45, 0x0F, 0x2A, 0xCF]) { $0.cvtsi2sd(.s32, .xmm9, .r15) }
        check("cvttss2si r15d, xmm9", [0xF3, 0x45, 0x0F, 0x2C, 0xF9]) { $0.cvttss2si(.s32, .r15, .xmm9) }
        check("cvttsd2si r15d, xmm9", [0xF2, 0x45, 0x0F, 0x2C, 0xF9]) { $0.cvttsd2si(.s32, .r15, .xmm9) }
        check("cvtsi2ss xmm3, ebp", [0xF3, 0x0F, 0x2A, 0xDD]) { $0.cvtsi2ss(.s32, .xmm3, .rbp) }
        check("cvtsi2sd xmm3, ebp", [0xF2, 0x0F, 0x2A, 0xDD]) { $0.cvtsi2sd(.s32, .xmm3, .rbp) }
        check("cvttss2si ebp, xmm3", [0xF3, 0x0F, 0x2C, 0xEB]) { $0.cvttss2si(.s32, .rbp, .xmm3) }
        check("cvttsd2si ebp, xmm3", [0xF2, 0x0F, 0x2C, 0xEB]) { $0.cvttsd2si(.s32, .rbp, .xmm3) }
        check("cvtsi2ss xmm0, rax", [0xF3, 0x48, 0x0F, 0x2A, 0xC0]) { $0.cvtsi2ss(.s64, .xmm0, .rax) }
        check("cvtsi2sd xmm0, rax", [0xF2, 0x48, 0x0F, 0x2A, 0xC0]) { $0.cvtsi2sd(.s64, .xmm0, .rax) }
        check("cvttss2si rax, xmm0", [0xF3, 0x48, 0x0F, 0x2C, 0xC0]) { $0.cvttss2si(.s64, .rax, .xmm0) }
        check("cvttsd2si rax, xmm0", [0xF2, 0x48, 0x0F, 0x2C, 0xC0]) { $0.cvttsd2si(.s64, .rax, .xmm0) }
        check("cvtsi2ss xmm1, r8", [0xF3, 0x49, 0x0F, 0x2A, 0xC8]) { $0.cvtsi2ss(.s64, .xmm1, .r8) }
        check("cvtsi2sd xmm1, r8", [0xF2, 0x49, 0x0F, 0x2A, 0xC8]) { $0.cvtsi2sd(.s64, .xmm1, .r8) }
        check("cvttss2si r8, xmm1", [0xF3, 0x4C, 0x0F, 0x2C, 0xC1]) { $0.cvttss2si(.s64, .r8, .xmm1) }
        check("cvttsd2si r8, xmm1", [0xF2, 0x4C, 0x0F, 0x2C, 0xC1]) { $0.cvttsd2si(.s64, .r8, .xmm1) }
        check("cvtsi2ss xmm15, rcx", [0xF3, 0x4C, 0x0F, 0x2A, 0xF9]) { $0.cvtsi2ss(.s64, .xmm15, .rcx) }
        check("cvtsi2sd xmm15, rcx", [0xF2, 0x4C, 0x0F, 0x2A, 0xF9]) { $0.cvtsi2sd(.s64, .xmm15, .rcx) }
        check("cvttss2si rcx, xmm15", [0xF3, 0x49, 0x0F, 0x2C, 0xCF]) { $0.cvttss2si(.s64, .rcx, .xmm15) }
        check("cvttsd2si rcx, xmm15", [0xF2, 0x49, 0x0F, 0x2C, 0xCF]) { $0.cvttsd2si(.s64, .rcx, .xmm15) }
        check("cvtsi2ss xmm9, r15", [0xF3, 0x4D, 0x0F, 0x2A, 0xCF]) { $0.cvtsi2ss(.s64, .xmm9, .r15) }
        check("cvtsi2sd xmm9, r15", [0xF2, 0x4D, 0x0F, 0x2A, 0xCF]) { $0.cvtsi2sd(.s64, .xmm9, .r15) }
        check("cvttss2si r15, xmm9", [0xF3, 0x4D, 0x0F, 0x2C, 0xF9]) { $0.cvttss2si(.s64, .r15, .xmm9) }
        check("cvttsd2si r15, xmm9", [0xF2, 0x4D, 0x0F, 0x2C, 0xF9]) { $0.cvttsd2si(.s64, .r15, .xmm9) }
        check("cvtsi2ss xmm3, rbp", [0xF3, 0x48, 0x0F, 0x2A, 0xDD]) { $0.cvtsi2ss(.s64, .xmm3, .rbp) }
        check("cvtsi2sd xmm3, rbp", [0xF2, 0x48, 0x0F, 0x2A, 0xDD]) { $0.cvtsi2sd(.s64, .xmm3, .rbp) }
        check("cvttss2si rbp, xmm3", [0xF3, 0x48, 0x0F, 0x2C, 0xEB]) { $0.cvttss2si(.s64, .rbp, .xmm3) }
        check("cvttsd2si rbp, xmm3", [0xF2, 0x48, 0x0F, 0x2C, 0xEB]) { $0.cvttsd2si(.s64, .rbp, .xmm3) }
        check("cvtss2sd xmm0, xmm1", [0xF3, 0x0F, 0x5A, 0xC1]) { $0.cvtss2sd(.xmm0, .xmm1) }
        check("cvtsd2ss xmm0, xmm1", [0xF2, 0x0F, 0x5A, 0xC1]) { $0.cvtsd2ss(.xmm0, .xmm1) }
        check("cvtss2sd xmm8, xmm1", [0xF3, 0x44, 0x0F, 0x5A, 0xC1]) { $0.cvtss2sd(.xmm8, .xmm1) }
        check("cvtsd2ss xmm8, xmm1", [0xF2, 0x44, 0x0F, 0x5A, 0xC1]) { $0.cvtsd2ss(.xmm8, .xmm1) }
        check("cvtss2sd xmm2, xmm15", [0xF3, 0x41, 0x0F, 0x5A, 0xD7]) { $0.cvtss2sd(.xmm2, .xmm15) }
        check("cvtsd2ss xmm2, xmm15", [0xF2, 0x41, 0x0F, 0x5A, 0xD7]) { $0.cvtsd2ss(.xmm2, .xmm15) }
        check("cvtss2sd xmm9, xmm10", [0xF3, 0x45, 0x0F, 0x5A, 0xCA]) { $0.cvtss2sd(.xmm9, .xmm10) }
        check("cvtsd2ss xmm9, xmm10", [0xF2, 0x45, 0x0F, 0x5A, 0xCA]) { $0.cvtsd2ss(.xmm9, .xmm10) }
        check("roundss xmm0, xmm1, 0", [0x66, 0x0F, 0x3A, 0x0A, 0xC1, 0x00]) { $0.roundss(.xmm0, .xmm1, imm: 0) }
        check("roundsd xmm0, xmm1, 0", [0x66, 0x0F, 0x3A, 0x0B, 0xC1, 0x00]) { $0.roundsd(.xmm0, .xmm1, imm: 0) }
        check("roundss xmm8, xmm1, 1", [0x66, 0x44, 0x0F, 0x3A, 0x0A, 0xC1, 0x01]) { $0.roundss(.xmm8, .xmm1, imm: 1) }
        check("roundsd xmm8, xmm1, 1", [0x66, 0x44, 0x0F, 0x3A, 0x0B, 0xC1, 0x01]) { $0.roundsd(.xmm8, .xmm1, imm: 1) }
        check("roundss xmm2, xmm15, 2", [0x66, 0x41, 0x0F, 0x3A, 0x0A, 0xD7, 0x02]) { $0.roundss(.xmm2, .xmm15, imm: 2) }
        check("roundsd xmm2, xmm15, 2", [0x66, 0x41, 0x0F, 0x3A, 0x0B, 0xD7, 0x02]) { $0.roundsd(.xmm2, .xmm15, imm: 2) }
        check("roundss xmm9, xmm10, 11", [0x66, 0x45, 0x0F, 0x3A, 0x0A, 0xCA, 0x0B]) { $0.roundss(.xmm9, .xmm10, imm: 11) }
        check("roundsd xmm9, xmm10, 11", [0x66, 0x45, 0x0F, 0x3A, 0x0B, 0xCA, 0x0B]) { $0.roundsd(.xmm9, .xmm10, imm: 11) }
    }

    @Test func sequences() {
        check("push rbp; mov rbp, rsp; push r12; sub rsp, 8; mov r12, rdi; mov eax, dword ptr [r12 + 4]; add eax, 1; mov dword ptr [r12 + 4], eax; add rsp, 8; pop r12; pop rbp; ret", [
            0x55, 0x48, 0x89, 0xE5, 0x41, 0x54, 0x48, 0x83, 0xEC, 0x08, 0x49, 0x89, 0xFC, 0x41, 0x8B, 0x44,
            0x24, 0x04, 0x83, 0xC0, 0x01, 0x41, 0x89, 0x44, 0x24, 0x04, 0x48, 0x83, 0xC4, 0x08, 0x41, 0x5C,
            0x5D, 0xC3,
        ]) { a in
            a.push(.rbp)
            a.mov(.s64, .rbp, .rsp)
            a.push(.r12)
            a.sub(.s64, .rsp, imm: 8)
            a.mov(.s64, .r12, .rdi)
            a.mov(.s32, .rax, .base(.r12, 4))
            a.add(.s32, .rax, imm: 1)
            a.mov(.s32, .base(.r12, 4), .rax)
            a.add(.s64, .rsp, imm: 8)
            a.pop(.r12)
            a.pop(.rbp)
            a.ret()
        }
    }

    @Test func conditionInversion() {
        for c in Condition.allCases {
            #expect(c.inverted != c)
            #expect(c.inverted.inverted == c)
        }
        #expect(Condition.e.inverted == .ne)
        #expect(Condition.b.inverted == .ae)
        #expect(Condition.l.inverted == .ge)
        #expect(Condition.le.inverted == .g)
        #expect(Condition.p.inverted == .np)
        #expect(Condition.a.inverted == .be)
        #expect(Condition.o.inverted == .no)
        #expect(Condition.s.inverted == .ns)
        #expect(Condition.z == .e && Condition.nz == .ne && Condition.c == .b && Condition.nc == .ae)
    }

    @Test func registerNumbers() {
        let gprNumbers = GPR.allCases.map { $0.rawValue }
        let xmmNumbers = XMM.allCases.map { $0.rawValue }
        #expect(gprNumbers == Array(0...15))
        #expect(xmmNumbers == Array(0...15))
        #expect(GPR.r12.low3 == 4 && GPR.r12.isExtended && !GPR.rsp.isExtended)
        let needREX = GPR.allCases.filter { $0.byteFormNeedsREX }
        #expect(needREX == [.rsp, .rbp, .rsi, .rdi])
    }

    @Test func memoryOperandConveniences() {
        #expect(MemoryOperand.base(.rbx, 8) == MemoryOperand(base: .rbx, displacement: 8))
        #expect(MemoryOperand.base(.rbx) == MemoryOperand(base: .rbx, index: nil, scale: 1, displacement: 0))
        #expect(MemoryOperand.base(.r9, index: .r12, scale: 8, -4) == MemoryOperand(base: .r9, index: .r12, scale: 8, displacement: -4))
        #expect(MemoryOperand.index(.rcx, scale: 2, 16) == MemoryOperand(index: .rcx, scale: 2, displacement: 16))
        #expect(MemoryOperand.absolute(0x1000) == MemoryOperand(displacement: 0x1000))
    }

    @Test func labelBookkeeping() {
        var a = X64Assembler()
        #expect(a.offset == 0)
        let forward = a.newLabel()
        let backward = a.newLabel()
        #expect(forward != backward)
        a.bind(backward)
        #expect(a.isBound(backward) && a.position(of: backward) == 0)
        a.jmp(forward)                       // 0: E9 rel32, patched at bind
        a.jcc(.ne, forward)                  // 5: 0F 85 rel32
        a.call(backward)                     // 11: E8 rel32, resolved at once
        #expect(!a.isBound(forward) && a.position(of: forward) == nil)
        #expect(a.offset == 16)
        #expect(Array(a.bytes[12..<16]) == [0xF0, 0xFF, 0xFF, 0xFF])  // 0 - 16
        a.nop()
        a.bind(forward)
        #expect(a.position(of: forward) == 17)
        // jmp: 17 - 5 = 12, jne: 17 - 11 = 6
        #expect(Array(a.bytes[1..<5]) == [0x0C, 0x00, 0x00, 0x00])
        #expect(Array(a.bytes[7..<11]) == [0x06, 0x00, 0x00, 0x00])
        a.jmp(forward)                       // backward now: 17 - 22 = -5
        #expect(Array(a.bytes[18..<22]) == [0xFB, 0xFF, 0xFF, 0xFF])
        #expect(a.finish() == a.bytes)
    }

    @Test func manyForwardReferencesToOneLabel() {
        var a = X64Assembler()
        let target = a.newLabel()
        for i in 0..<300 {
            if i % 2 == 0 { a.jmp(target) } else { a.jcc(Condition(rawValue: UInt8(i % 16))!, target) }
        }
        a.bind(target)
        let code = a.finish()
        // Decode every rel32 and check that it lands on the label.
        var pc = 0
        while pc < code.count {
            let fieldStart = code[pc] == 0xE9 ? pc + 1 : pc + 2
            let rel = code[fieldStart..<fieldStart + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            #expect(fieldStart + 4 + Int(Int32(bitPattern: rel)) == code.count)
            pc = fieldStart + 4
        }
    }

    @Test func escapeHatch() {
        var a = X64Assembler(capacity: 64)
        a.emit(0x0F, 0xA2)  // cpuid
        a.ret()
        #expect(a.bytes == [0x0F, 0xA2, 0xC3])
        #expect(OperandSize.s8.byteCount == 1 && OperandSize.s64.byteCount == 8)
    }

    @Test func finishTrapsOnUnboundLabel() async {
        await #expect(processExitsWith: .failure) {
            var a = X64Assembler()
            let l = a.newLabel()
            a.jmp(l)
            _ = a.finish()
        }
    }

    @Test func bindingTwiceTraps() async {
        await #expect(processExitsWith: .failure) {
            var a = X64Assembler()
            let l = a.newLabel()
            a.bind(l)
            a.bind(l)
        }
    }

    @Test func rspAsIndexTraps() async {
        await #expect(processExitsWith: .failure) {
            var a = X64Assembler()
            a.mov(.s64, .rax, MemoryOperand(base: .rax, index: .rsp))
        }
    }

    @Test func byteOperandsAreRejectedWhereMeaningless() async {
        await #expect(processExitsWith: .failure) {
            var a = X64Assembler()
            a.add(.s8, .rax, .rcx)
        }
    }
}
