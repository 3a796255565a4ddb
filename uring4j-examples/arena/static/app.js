document.addEventListener('DOMContentLoaded', () => {
  fetch('/json/5?m=2').then(r => r.json()).then(d => console.log('items', d.count));
});
document.addEventListener('DOMContentLoaded', () => {
  fetch('/json/5?m=2').then(r => r.json()).then(d => console.log('items', d.count));
});
document.addEventListener('DOMContentLoaded', () => {
  fetch('/json/5?m=2').then(r => r.json()).then(d => console.log('items', d.count));
});
document.addEventListener('DOMContentLoaded', () => {
  fetch('/json/5?m=2').then(r => r.json()).then(d => console.log('items', d.count));
});
document.addEventListener('DOMContentLoaded', () => {
  fetch('/json/5?m=2').then(r => r.json()).then(d => console.log('items', d.count));
});
document.addEventListener('DOMContentLoaded', () => {
  fetch('/json/5?m=2').then(r => r.json()).then(d => console.log('items', d.count));
});
