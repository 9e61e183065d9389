// Stand-in for std::ios_base_library_init(), which GCC 13's libstdc++ exports
// (GLIBCXX_3.4.32) and TorchSharp 0.107.0's libLibTorchSharp.so references.
// Older libstdc++ (Debian 12: GCC 12) initialises iostreams without it, so an
// empty definition is enough. Loaded only on systems whose libstdc++ lacks it.
namespace std { void ios_base_library_init() {} }
